import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Client } from '@temporalio/client';
import type { EventStore } from '@stratus/eventstore';
import { projectionStatuses, type ProjectionsOrm, type ProjectionStatusReport } from '@stratus/projections';
import { API_CONFIG, type ApiConfig } from '../../../../shared/config/api-config';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import {
  TEMPORAL_CLIENT,
  TEMPORAL_SETTINGS,
  type TemporalSettings,
} from '../../../../shared/temporal/temporal.tokens';
import { GetHealthQuery, type HealthView } from './get-health.query';

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unavailable';
}

/**
 * 'degraded' (503) when the database, the event store or Temporal does not answer, or a projection has failed.
 * Projection lag alone is reported, not judged: a busy system catching up is still healthy.
 */
@QueryHandler(GetHealthQuery)
export class GetHealthHandler implements IQueryHandler<GetHealthQuery, HealthView> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client | null,
    @Inject(TEMPORAL_SETTINGS) private readonly temporalSettings: TemporalSettings | null,
  ) {}

  private async probeTemporal(): Promise<HealthView['temporal']> {
    const settings = this.temporalSettings;
    if (!this.temporal || !settings) return { status: 'not_configured' };
    const { connection } = this.temporal;
    const where = { address: settings.address, namespace: settings.namespace };
    try {
      // The namespace must exist too: describing it proves both the frontend and the namespace answer.
      // Abort (not just time out) the call: the client's retry interceptor would otherwise keep retrying an
      // unreachable frontend in the background, even after the connection is closed at shutdown.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS);
      try {
        await withTimeout(
          connection.withAbortSignal(abort.signal, () =>
            connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () =>
              connection.workflowService.describeNamespace({ namespace: settings.namespace }),
            ),
          ),
          'Temporal',
        );
      } finally {
        clearTimeout(timer);
        abort.abort();
      }
      return { status: 'ok', ...where };
    } catch (error) {
      return { status: 'down', ...where, error: describe(error) };
    }
  }

  async execute(): Promise<HealthView> {
    const [database, eventStore, temporal] = await Promise.all([
      withTimeout(this.orm.em.getConnection().execute('select 1'), 'database').then(
        () => ({ status: 'up' as const }),
        (error) => ({ status: 'down' as const, error: describe(error) }),
      ),
      withTimeout(this.eventStore.ping(), 'event store').then(
        () => ({ status: 'up' as const, kind: this.config.eventStore.kind }),
        (error) => ({ status: 'down' as const, kind: this.config.eventStore.kind, error: describe(error) }),
      ),
      this.probeTemporal(),
    ]);
    let projections: ProjectionStatusReport[] = [];
    let projectionsReadable = true;
    if (database.status === 'up' && eventStore.status === 'up') {
      try {
        projections = await withTimeout(projectionStatuses(this.orm, this.eventStore), 'projection status');
      } catch {
        projectionsReadable = false;
      }
    }
    const healthy =
      database.status === 'up' &&
      eventStore.status === 'up' &&
      projectionsReadable &&
      projections.every((p) => p.status !== 'failed') &&
      temporal.status !== 'down';
    return { status: healthy ? 'ok' : 'degraded', database, eventStore, projections, temporal };
  }
}
