import {
  Controller,
  Get,
  Header,
  Headers,
  Inject,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Public } from '../../../shared/auth/public.decorator';
import { API_CONFIG, type ApiConfig } from '../../../shared/config/api-config';
import { ApiErrorResponses } from '../../../shared/http/openapi-conventions';
import { metricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint, outside the /api prefix: GET /metrics (METRICS_TOKEN as a bearer token). */
@ApiTags('health')
@Controller('metrics')
export class MetricsHttpController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics' })
  @Public()
  @ApiErrorResponses({ 404: 'not_found: METRICS_TOKEN is unset in production (401: missing or wrong token)' })
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const access = metricsAccess(this.config, authorization);
    if (access === 'disabled')
      throw new NotFoundException('Metrics are off: set METRICS_TOKEN to scrape them');
    if (access === 'unauthorized')
      throw new UnauthorizedException('A valid metrics bearer token is required');
    return this.metrics.registry.metrics();
  }
}
