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
import { GetHealthQuery, type HealthView } from './get-health.query';

class ComponentHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiProperty({ required: false }) error?: string;
}
class EventStoreHealthDto extends ComponentHealthDto {
  @ApiProperty({ enum: ['postgres', 'eventstoredb'] }) kind!: string;
}
class ProjectionHealthDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['running', 'catching_up', 'failed', 'stopped', 'rebuilding'] }) status!: string;
  @ApiProperty() lagEvents!: number;
  @ApiProperty() lagSeconds!: number;
  @ApiProperty({ type: String, nullable: true, example: '7841/1203' }) checkpoint!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() eventsProcessed!: number;
}
class TemporalHealthDto {
  @ApiProperty({ enum: ['ok', 'down', 'not_configured'] }) status!: string;
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
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'degraded' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const health = await this.queryBus.execute(new GetHealthQuery());
    res.status(health.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return health;
  }
}
