import { Query } from '@nestjs/cqrs';
import type { TransferPriceDto } from '../../shared/transfer.dto';

/** The staff's transfer overage price now. */
export class GetTransferPriceQuery extends Query<TransferPriceDto> {}
