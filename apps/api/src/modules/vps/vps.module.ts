import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CreateVpsHandler } from './commands/create-vps/create-vps.handler';
import { CreateVpsHttpController } from './commands/create-vps/create-vps.http.controller';
import { DeleteVpsHandler } from './commands/delete-vps/delete-vps.handler';
import { DeleteVpsHttpController } from './commands/delete-vps/delete-vps.http.controller';
import { PowerActionHandler } from './commands/power-action/power-action.handler';
import { PowerActionHttpController } from './commands/power-action/power-action.http.controller';
import { RenameVpsHandler } from './commands/rename-vps/rename-vps.handler';
import { RenameVpsHttpController } from './commands/rename-vps/rename-vps.http.controller';
import { SetReverseDnsHandler } from './commands/set-reverse-dns/set-reverse-dns.handler';
import { SetReverseDnsHttpController } from './commands/set-reverse-dns/set-reverse-dns.http.controller';
import { RebuildVpsHandler } from './commands/rebuild-vps/rebuild-vps.handler';
import { RebuildVpsHttpController } from './commands/rebuild-vps/rebuild-vps.http.controller';
import { ResizeVpsHandler } from './commands/resize-vps/resize-vps.handler';
import { ResizeVpsHttpController } from './commands/resize-vps/resize-vps.http.controller';
import { SetVpsBackupsHandler } from './commands/set-vps-backups/set-vps-backups.handler';
import { SetVpsBackupsHttpController } from './commands/set-vps-backups/set-vps-backups.http.controller';
import { GetVpsBillingHandler } from './queries/get-vps-billing/get-vps-billing.handler';
import { GetVpsBillingHttpController } from './queries/get-vps-billing/get-vps-billing.http.controller';
import { GetVpsHandler } from './queries/get-vps/get-vps.handler';
import { GetVpsHttpController } from './queries/get-vps/get-vps.http.controller';
import { ListVpsHandler } from './queries/list-vps/list-vps.handler';
import { ListVpsHttpController } from './queries/list-vps/list-vps.http.controller';
import { VpsOperationStarter } from './shared/vps-operation-starter';

/**
 * Customers' servers: create (202 + provisioning workflow), list, detail, power actions, operations (rename,
 * reverse DNS, rebuild, resize, backups: 202 + their workflow), delete, billing.
 */
@Module({
  imports: [CatalogModule],
  controllers: [
    CreateVpsHttpController,
    ListVpsHttpController,
    GetVpsHttpController,
    PowerActionHttpController,
    DeleteVpsHttpController,
    GetVpsBillingHttpController,
    RenameVpsHttpController,
    SetReverseDnsHttpController,
    // ---- rebuild, resize, backups (issue 15) ----
    RebuildVpsHttpController,
    ResizeVpsHttpController,
    SetVpsBackupsHttpController,
  ],
  providers: [
    CreateVpsHandler,
    PowerActionHandler,
    DeleteVpsHandler,
    ListVpsHandler,
    GetVpsHandler,
    GetVpsBillingHandler,
    VpsOperationStarter,
    RenameVpsHandler,
    SetReverseDnsHandler,
    // ---- rebuild, resize, backups (issue 15) ----
    RebuildVpsHandler,
    ResizeVpsHandler,
    SetVpsBackupsHandler,
  ],
})
export class VpsModule {}
