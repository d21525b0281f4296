import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { TaxRatesResponseDto } from '../../commands/set-tax-rates/set-tax-rates.request.dto';
import { GetTaxRatesQuery } from './get-tax-rates.query';

@ApiTags('admin')
@Controller('admin/tax-rates')
export class GetTaxRatesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List the tax rates per country' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: TaxRatesResponseDto })
  list(): Promise<TaxRatesResponseDto> {
    return this.queryBus.execute(new GetTaxRatesQuery());
  }
}
