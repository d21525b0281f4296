import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CreateVpsHandler } from './commands/create-vps/create-vps.handler';
import { CreateVpsHttpController } from './commands/create-vps/create-vps.http.controller';
import { DeleteVpsHandler } from './commands/delete-vps/delete-vps.handler';
import { DeleteVpsHttpController } from './commands/delete-vps/delete-vps.http.controller';
import { PowerActionHandler } from './commands/power-action/power-action.handler';
import { PowerActionHttpController } from './commands/power-action/power-action.http.controller';
import { GetVpsBillingHandler } from './queries/get-vps-billing/get-vps-billing.handler';
import { GetVpsBillingHttpController } from './queries/get-vps-billing/get-vps-billing.http.controller';
import { GetVpsHandler } from './queries/get-vps/get-vps.handler';
import { GetVpsHttpController } from './queries/get-vps/get-vps.http.controller';
import { ListVpsHandler } from './queries/list-vps/list-vps.handler';
import { ListVpsHttpController } from './queries/list-vps/list-vps.http.controller';

/** Customers' servers: create (202 + provisioning workflow), list, detail, power actions, delete, billing. */
@Module({
  imports: [CatalogModule],
  controllers: [
    CreateVpsHttpController,
    ListVpsHttpController,
    GetVpsHttpController,
    PowerActionHttpController,
    DeleteVpsHttpController,
    GetVpsBillingHttpController,
  ],
  providers: [
    CreateVpsHandler,
    PowerActionHandler,
    DeleteVpsHandler,
    ListVpsHandler,
    GetVpsHandler,
    GetVpsBillingHandler,
  ],
})
export class VpsModule {}
