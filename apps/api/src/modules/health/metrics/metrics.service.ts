import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventStore } from '@stratus/eventstore';
import { projectionStatuses, type ProjectionsOrm } from '@stratus/projections';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVENT_STORE } from '../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';

/** One registry per app instance (tests boot several apps in one process). */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger('MetricsService');
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;

  constructor(@Inject(PROJECTIONS_ORM) orm: ProjectionsOrm, @Inject(EVENT_STORE) eventStore: EventStore) {
    collectDefaultMetrics({ register: this.registry, prefix: 'stratus_api_' });
    this.httpRequests = new Counter({
      name: 'stratus_api_http_requests_total',
      help: 'HTTP requests answered, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'stratus_api_http_request_duration_seconds',
      help: 'HTTP request latency by route template',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    // Read once per scrape, shared by the three gauges.
    let pending: Promise<void> | null = null;
    const refresh = () => {
      pending ??= projectionStatuses(orm, eventStore)
        .then((statuses) => {
          for (const s of statuses) {
            lagEvents.set({ projection: s.name }, s.lagEvents);
            lagSeconds.set({ projection: s.name }, s.lagSeconds);
            failed.set({ projection: s.name }, s.status === 'failed' ? 1 : 0);
          }
        })
        .catch((error: unknown) => this.logger.warn(`projection status unavailable: ${String(error)}`))
        .finally(() => {
          pending = null;
        });
      return pending;
    };
    const lagEvents: Gauge<'projection'> = new Gauge({
      name: 'stratus_projection_lag_events',
      help: 'Events in the store after the projection checkpoint (capped)',
      labelNames: ['projection'],
      registers: [this.registry],
      collect: refresh,
    });
    const lagSeconds: Gauge<'projection'> = new Gauge({
      name: 'stratus_projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied; 0 when caught up',
      labelNames: ['projection'],
      registers: [this.registry],
      collect: refresh,
    });
    const failed: Gauge<'projection'> = new Gauge({
      name: 'stratus_projection_failed',
      help: '1 when the projection is in the failed state',
      labelNames: ['projection'],
      registers: [this.registry],
      collect: refresh,
    });
  }
}
