import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { PaymentsModule } from '../payments/payments.module';
import { ResolveReconciliationLineHandler } from './commands/resolve-reconciliation-line/resolve-reconciliation-line.handler';
import { ResolveReconciliationLineHttpController } from './commands/resolve-reconciliation-line/resolve-reconciliation-line.http.controller';
import { RunReconciliationHandler } from './commands/run-reconciliation/run-reconciliation.handler';
import { RunReconciliationHttpController } from './commands/run-reconciliation/run-reconciliation.http.controller';
import { GetReconciliationHandler } from './queries/get-reconciliation/get-reconciliation.handler';
import { GetReconciliationHttpController } from './queries/get-reconciliation/get-reconciliation.http.controller';
import { ListReconciliationsHandler } from './queries/list-reconciliations/list-reconciliations.handler';
import { ListReconciliationsHttpController } from './queries/list-reconciliations/list-reconciliations.http.controller';

/**
 * Billing replay and reconciliation (platform role admin): every charge compared with what the servers' events
 * say was owed; runs replayed by a Temporal workflow and recorded on `reconciliation-<id>`, discrepancies corrected by wallet adjustments.
 */
@Module({
  imports: [CatalogModule, PaymentsModule],
  controllers: [
    ListReconciliationsHttpController,
    RunReconciliationHttpController,
    GetReconciliationHttpController,
    ResolveReconciliationLineHttpController,
  ],
  providers: [
    RunReconciliationHandler,
    ResolveReconciliationLineHandler,
    ListReconciliationsHandler,
    GetReconciliationHandler,
  ],
})
export class AdminBillingModule {}
