import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { TransferPriceDto } from '../../shared/transfer.dto';
import { GetTransferPriceQuery } from './get-transfer-price.query';

@ApiTags('admin')
@Controller('admin/billing/transfer-price')
export class GetTransferPriceHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get the network transfer overage price per GB' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: TransferPriceDto })
  get(): Promise<TransferPriceDto> {
    return this.queryBus.execute(new GetTransferPriceQuery());
  }
}
