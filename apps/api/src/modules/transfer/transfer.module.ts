import { Module } from '@nestjs/common';
import { SetTransferPriceHandler } from './commands/set-transfer-price/set-transfer-price.handler';
import { SetTransferPriceHttpController } from './commands/set-transfer-price/set-transfer-price.http.controller';
import { GetOrganizationTransferHandler } from './queries/get-organization-transfer/get-organization-transfer.handler';
import { GetOrganizationTransferHttpController } from './queries/get-organization-transfer/get-organization-transfer.http.controller';
import { GetTransferPriceHandler } from './queries/get-transfer-price/get-transfer-price.handler';
import { GetTransferPriceHttpController } from './queries/get-transfer-price/get-transfer-price.http.controller';
import { GetVpsTransferHandler } from './queries/get-vps-transfer/get-vps-transfer.handler';
import { GetVpsTransferHttpController } from './queries/get-vps-transfer/get-vps-transfer.http.controller';
import { TransferUsageReader } from './shared/transfer-usage';

/** Network transfer: a server's and an organization's usage of a month, and the staff's overage price. */
@Module({
  controllers: [
    GetVpsTransferHttpController,
    GetOrganizationTransferHttpController,
    GetTransferPriceHttpController,
    SetTransferPriceHttpController,
  ],
  providers: [
    TransferUsageReader,
    GetVpsTransferHandler,
    GetOrganizationTransferHandler,
    GetTransferPriceHandler,
    SetTransferPriceHandler,
  ],
})
export class TransferModule {}
