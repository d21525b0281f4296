import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { ProviderCatalog } from '../../shared/provider-catalog.service';

export class RegionDto {
  @ApiProperty({ example: 'us-east' }) id!: string;
  @ApiProperty({ example: 'Newark, NJ' }) label!: string;
  @ApiProperty({ example: 'us' }) country!: string;
  @ApiProperty({ enum: ['ok', 'outage'] }) status!: 'ok' | 'outage';
}

/** The provider's regions (cached in memory for a few minutes). */
@ApiTags('vps')
@ApiBearerAuth()
@Controller('vps/regions')
export class ListRegionsHttpController {
  constructor(private readonly catalog: ProviderCatalog) {}

  @Get()
  @ApiOperation({ summary: 'List regions' })
  @ApiOkResponse({ type: [RegionDto] })
  @ApiErrorResponses({ 503: 'provider_unavailable' })
  async list(): Promise<RegionDto[]> {
    const regions = await this.catalog.regions();
    return regions.map(({ id, label, country, status }) => ({ id, label, country, status }));
  }
}
