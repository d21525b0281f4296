import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { ProviderCatalog } from '../../shared/provider-catalog.service';

export class ImageDto {
  @ApiProperty({ example: 'linode/debian12' }) id!: string;
  @ApiProperty({ example: 'Debian 12' }) label!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Debian' }) vendor!: string | null;
  @ApiProperty() deprecated!: boolean;
}

/** The provider's public images (cached in memory for a few minutes). */
@ApiTags('vps')
@ApiBearerAuth()
@Controller('vps/images')
export class ListImagesHttpController {
  constructor(private readonly catalog: ProviderCatalog) {}

  @Get()
  @ApiOperation({ summary: 'List images' })
  @ApiOkResponse({ type: [ImageDto] })
  @ApiErrorResponses({ 503: 'provider_unavailable' })
  async list(): Promise<ImageDto[]> {
    const images = await this.catalog.images();
    return images.map(({ id, label, vendor, deprecated }) => ({ id, label, vendor, deprecated }));
  }
}
