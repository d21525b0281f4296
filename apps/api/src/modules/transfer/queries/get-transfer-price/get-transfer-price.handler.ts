import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DEFAULT_TRANSFER_PRICE_PER_GB, formatMoney } from '@stratus/domain';
import type { TransferPriceDto } from '../../shared/transfer.dto';
import { TransferUsageReader } from '../../shared/transfer-usage';
import { GetTransferPriceQuery } from './get-transfer-price.query';

@QueryHandler(GetTransferPriceQuery)
export class GetTransferPriceHandler implements IQueryHandler<GetTransferPriceQuery, TransferPriceDto> {
  constructor(private readonly usage: TransferUsageReader) {}

  async execute(): Promise<TransferPriceDto> {
    const last = (await this.usage.prices()).at(-1);
    return {
      pricePerGb: formatMoney(last?.pricePerGb ?? DEFAULT_TRANSFER_PRICE_PER_GB),
      set: last !== undefined,
    };
  }
}
