import { Module } from '@nestjs/common';
import type { CloudProvider } from '@stratus/domain';
import { LinodeProvider } from '@stratus/infra';
import { API_CONFIG, type ApiConfig } from '../../shared/config/api-config';
import { CreatePlanHandler } from './commands/create-plan/create-plan.handler';
import { CreatePlanHttpController } from './commands/create-plan/create-plan.http.controller';
import { UpdatePlanHandler } from './commands/update-plan/update-plan.handler';
import { UpdatePlanHttpController } from './commands/update-plan/update-plan.http.controller';
import { ListImagesHttpController } from './queries/list-images/list-images.http.controller';
import { ListOfferedPlansHandler } from './queries/list-offered-plans/list-offered-plans.handler';
import { ListOfferedPlansHttpController } from './queries/list-offered-plans/list-offered-plans.http.controller';
import { ListPlansHandler } from './queries/list-plans/list-plans.handler';
import { ListPlansHttpController } from './queries/list-plans/list-plans.http.controller';
import { ListRegionsHttpController } from './queries/list-regions/list-regions.http.controller';
import { resolveVpsSettings, type VpsSettings } from './shared/catalog.settings';
import { CLOUD_PROVIDER, VPS_SETTINGS } from './shared/catalog.tokens';
import { ProviderCatalog } from './shared/provider-catalog.service';

/** Plans (staff CRUD, customer list with prices) and the provider's regions and images. */
@Module({
  controllers: [
    CreatePlanHttpController,
    UpdatePlanHttpController,
    ListPlansHttpController,
    ListOfferedPlansHttpController,
    ListRegionsHttpController,
    ListImagesHttpController,
  ],
  providers: [
    {
      provide: VPS_SETTINGS,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => resolveVpsSettings(config),
    },
    {
      provide: CLOUD_PROVIDER,
      inject: [VPS_SETTINGS],
      useFactory: (settings: VpsSettings): CloudProvider =>
        settings.provider ??
        new LinodeProvider({
          baseUrl: settings.linode.apiUrl,
          token: settings.linode.token,
          // A customer is waiting on the request: fail fast (503) rather than retry for a minute.
          maxRetries: 1,
          timeoutMs: 5000,
          retryBaseMs: 100,
        }),
    },
    ProviderCatalog,
    CreatePlanHandler,
    UpdatePlanHandler,
    ListPlansHandler,
    ListOfferedPlansHandler,
  ],
  exports: [VPS_SETTINGS, CLOUD_PROVIDER, ProviderCatalog],
})
export class CatalogModule {}
