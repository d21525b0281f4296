import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ProjectionStatusReport } from '@stratus/projections';

export interface WorkerMetrics {
  registry: Registry;
  eventsTotal: Counter<'projection'>;
}

/**
 * Prometheus metrics of the projection runners. Lag gauges are computed at scrape time from the
 * checkpoints and the event store (one status read shared by both gauges of a scrape).
 */
export function createWorkerMetrics(statuses: () => Promise<ProjectionStatusReport[]>): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let pending: Promise<ProjectionStatusReport[]> | null = null;
  const current = () => {
    pending ??= statuses().finally(() => setTimeout(() => (pending = null), 250).unref());
    return pending;
  };
  new Gauge({
    name: 'stratus_projection_lag_events',
    help: 'Events in the store after the projection checkpoint (capped at 100000)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const status of await current()) this.set({ projection: status.name }, status.lagEvents);
    },
  });
  new Gauge({
    name: 'stratus_projection_lag_seconds',
    help: 'Age of the oldest event the projection has not applied yet (0 when caught up)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const status of await current()) this.set({ projection: status.name }, status.lagSeconds);
    },
  });
  new Gauge({
    name: 'stratus_projection_failed',
    help: '1 while the projection is failing (retrying with backoff)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const status of await current())
        this.set({ projection: status.name }, status.status === 'failed' ? 1 : 0);
    },
  });
  const eventsTotal = new Counter({
    name: 'stratus_projection_events_total',
    help: 'Events applied (checkpoint advanced past) by this worker process',
    labelNames: ['projection'],
    registers: [registry],
  });
  return { registry, eventsTotal };
}

export function serveMetrics(
  registry: Registry,
  port: number,
  onError: (error: unknown) => void,
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'not_found', message: 'Only GET /metrics is served here' }));
      return;
    }
    registry
      .metrics()
      .then((body) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(body);
      })
      .catch((error: unknown) => {
        onError(error);
        response.writeHead(503, { 'content-type': 'text/plain' });
        response.end('metrics unavailable\n');
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
