import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../../../shared/http/error-response.dto';
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
  @ApiOkResponse({ type: [ImageDto] })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'provider_unavailable' })
  async list(): Promise<ImageDto[]> {
    const images = await this.catalog.images();
    return images.map(({ id, label, vendor, deprecated }) => ({ id, label, vendor, deprecated }));
  }
}
