import { Controller, Get, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { HealthResponseDto } from '../get-health/get-health.http.controller';
import { GetHealthQuery, type HealthView } from '../get-health/get-health.query';

/** The health check with what only staff see: addresses, the event store's kind, projection lag, error texts. */
@ApiTags('admin')
@Controller('admin/health')
export class GetHealthDetailsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Check health with details' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'degraded' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const health = await this.queryBus.execute(new GetHealthQuery());
    res.status(health.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return health;
  }
}
