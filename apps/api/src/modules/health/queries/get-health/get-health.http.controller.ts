import { Controller, Get, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../../../shared/auth/public.decorator';
import { GetHealthQuery, publicHealth, type PublicHealthView } from './get-health.query';

class PublicComponentHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
}
class PublicProjectionHealthDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['running', 'catching_up', 'failed', 'stopped', 'rebuilding'] }) status!: string;
}
class PublicTemporalHealthDto {
  @ApiProperty({ enum: ['ok', 'down', 'not_configured'] }) status!: string;
}
export class PublicHealthResponseDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ type: PublicComponentHealthDto }) database!: PublicComponentHealthDto;
  @ApiProperty({ type: PublicComponentHealthDto }) eventStore!: PublicComponentHealthDto;
  @ApiProperty({ type: [PublicProjectionHealthDto] }) projections!: PublicProjectionHealthDto[];
  @ApiProperty({ type: PublicTemporalHealthDto }) temporal!: PublicTemporalHealthDto;
}

class ComponentHealthDto extends PublicComponentHealthDto {
  @ApiProperty({ required: false }) error?: string;
}
class EventStoreHealthDto extends ComponentHealthDto {
  @ApiProperty({ enum: ['postgres', 'eventstoredb'] }) kind!: string;
}
class ProjectionHealthDto extends PublicProjectionHealthDto {
  @ApiProperty() lagEvents!: number;
  @ApiProperty() lagSeconds!: number;
  @ApiProperty({ type: String, nullable: true, example: '7841/1203' }) checkpoint!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() eventsProcessed!: number;
}
class TemporalHealthDto extends PublicTemporalHealthDto {
  @ApiProperty({ required: false, example: '127.0.0.1:7233' }) address?: string;
  @ApiProperty({ required: false, example: 'default' }) namespace?: string;
  @ApiProperty({ required: false }) error?: string;
}
export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ type: ComponentHealthDto }) database!: ComponentHealthDto;
  @ApiProperty({ type: EventStoreHealthDto }) eventStore!: EventStoreHealthDto;
  @ApiProperty({ type: [ProjectionHealthDto] }) projections!: ProjectionHealthDto[];
  @ApiProperty({ type: TemporalHealthDto }) temporal!: TemporalHealthDto;
}

@ApiTags('health')
@Controller('health')
export class GetHealthHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Check health' })
  @Public()
  @ApiOkResponse({ type: PublicHealthResponseDto })
  @ApiServiceUnavailableResponse({ type: PublicHealthResponseDto, description: 'degraded' })
  async health(@Res({ passthrough: true }) res: Response): Promise<PublicHealthView> {
    const health = await this.queryBus.execute(new GetHealthQuery());
    res.status(health.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    // Addresses, store kinds, lags and error texts are for staff: GET /api/admin/health.
    return publicHealth(health);
  }
}
