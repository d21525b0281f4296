import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { AbortProvisioningHandler } from './commands/abort-provisioning/abort-provisioning.handler';
import { AbortProvisioningHttpController } from './commands/abort-provisioning/abort-provisioning.http.controller';
import { RefundFirstHourHandler } from './commands/refund-first-hour/refund-first-hour.handler';
import { RefundFirstHourHttpController } from './commands/refund-first-hour/refund-first-hour.http.controller';
import { RetryProvisioningHandler } from './commands/retry-provisioning/retry-provisioning.handler';
import { RetryProvisioningHttpController } from './commands/retry-provisioning/retry-provisioning.http.controller';
import { TerminateProvisioningHandler } from './commands/terminate-provisioning/terminate-provisioning.handler';
import { TerminateProvisioningHttpController } from './commands/terminate-provisioning/terminate-provisioning.http.controller';
import { ListProvisioningHandler } from './queries/list-provisioning/list-provisioning.handler';
import { ListProvisioningHttpController } from './queries/list-provisioning/list-provisioning.http.controller';

/**
 * Admin operations (platform role admin) on provisioning that hangs: list provisioning workflows from Temporal
 * visibility, retry a stuck one, abort (compensate) or terminate one, refund a failed one's first hour. See the README's "Admin operations".
 */
@Module({
  // CatalogModule: the cloud provider. Temporal calls go through TemporalWorkflows (TemporalModule, global).
  imports: [CatalogModule],
  controllers: [
    ListProvisioningHttpController,
    RetryProvisioningHttpController,
    AbortProvisioningHttpController,
    TerminateProvisioningHttpController,
    RefundFirstHourHttpController,
  ],
  providers: [
    ListProvisioningHandler,
    RetryProvisioningHandler,
    AbortProvisioningHandler,
    TerminateProvisioningHandler,
    RefundFirstHourHandler,
  ],
})
export class AdminProvisioningModule {}
