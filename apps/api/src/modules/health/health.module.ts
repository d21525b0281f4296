import { Module } from '@nestjs/common';
import { MetricsHttpController } from './metrics/metrics.http.controller';
import { MetricsService } from './metrics/metrics.service';
import { GetHealthDetailsHttpController } from './queries/get-health-details/get-health-details.http.controller';
import { GetHealthHandler } from './queries/get-health/get-health.handler';
import { GetHealthHttpController } from './queries/get-health/get-health.http.controller';

@Module({
  controllers: [GetHealthHttpController, GetHealthDetailsHttpController, MetricsHttpController],
  providers: [GetHealthHandler, MetricsService],
  exports: [MetricsService],
})
export class HealthModule {}
