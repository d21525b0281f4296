import { Module } from '@nestjs/common';
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
    ProviderCatalog,
    CreatePlanHandler,
    UpdatePlanHandler,
    ListPlansHandler,
    ListOfferedPlansHandler,
  ],
  exports: [ProviderCatalog],
})
export class CatalogModule {}
