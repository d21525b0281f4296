import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from '@stratus/infra';
import { AdminBillingModule } from './modules/admin-billing/admin-billing.module';
import { AdminDirectoryModule } from './modules/admin-directory/admin-directory.module';
import { AdminEventsModule } from './modules/admin-events/admin-events.module';
import { AdminInvoicingModule } from './modules/admin-invoicing/admin-invoicing.module';
import { AdminFirewallModule } from './modules/admin-firewall/admin-firewall.module';
import { AdminMailModule } from './modules/admin-mail/admin-mail.module';
import { AdminProjectionsModule } from './modules/admin-projections/admin-projections.module';
import { AdminProvisioningModule } from './modules/admin-provisioning/admin-provisioning.module';
import { ApiKeysModule } from './modules/api-keys/api-keys.module';
import { AuthModule } from './modules/auth/auth.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { ConsoleModule } from './modules/console/console.module';
import { HealthModule } from './modules/health/health.module';
import { ImpersonationModule } from './modules/impersonation/impersonation.module';
import { LiveModule } from './modules/live/live.module';
import { MeModule } from './modules/me/me.module';
import { InvoicesModule } from './modules/invoices/invoices.module';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { SshKeysModule } from './modules/ssh-keys/ssh-keys.module';
import { TransferModule } from './modules/transfer/transfer.module';
import { VpsModule } from './modules/vps/vps.module';
import { WalletModule } from './modules/wallet/wallet.module';
import { CoreModule, type ApiResources } from './shared/core.module';
import { apiLoggerModule } from './shared/logging/api-logger';
import { CloudProviderModule } from './shared/provider/cloud-provider.module';
import { resolveTemporalSettings, TemporalModule } from './shared/temporal/temporal.module';

@Module({})
export class AppModule {
  static forRoot(resources: ApiResources, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        apiLoggerModule(logger),
        CoreModule.forRoot(resources),
        CloudProviderModule,
        TemporalModule.forRoot(resolveTemporalSettings(resources.config)),
        AuthModule,
        MeModule,
        ImpersonationModule,
        ApiKeysModule,
        OrganizationsModule,
        WalletModule,
        PaymentsModule,
        InvoicesModule,
        CatalogModule,
        SshKeysModule,
        VpsModule,
        TransferModule,
        ConsoleModule,
        HealthModule,
        LiveModule,
        AdminEventsModule,
        AdminBillingModule,
        AdminInvoicingModule,
        AdminProvisioningModule,
        AdminProjectionsModule,
        AdminDirectoryModule,
        AdminMailModule,
        AdminFirewallModule,
      ],
    };
  }
}
