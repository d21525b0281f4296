import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { MeModule } from './modules/me/me.module';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { WalletModule } from './modules/wallet/wallet.module';
import { CoreModule, type ApiResources } from './shared/core.module';

@Module({})
export class AppModule {
  static forRoot(resources: ApiResources): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(resources),
        AuthModule,
        MeModule,
        OrganizationsModule,
        WalletModule,
        HealthModule,
      ],
    };
  }
}
