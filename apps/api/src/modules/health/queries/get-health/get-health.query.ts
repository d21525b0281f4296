import { Query } from '@nestjs/cqrs';
import type { ProjectionStatusReport } from '@stratus/projections';

export interface HealthView {
  status: 'ok' | 'degraded';
  database: { status: 'up' | 'down'; error?: string };
  eventStore: { status: 'up' | 'down'; kind: string; error?: string };
  projections: ProjectionStatusReport[];
  /** 'not_configured' only when the API runs without Temporal (its own tests); not counted then. */
  temporal:
    | { status: 'ok' | 'down'; address: string; namespace: string; error?: string }
    | { status: 'not_configured' };
}

export class GetHealthQuery extends Query<HealthView> {}

/** What anyone may see: a status per component, without addresses, store kinds, lags or error texts. */
export interface PublicHealthView {
  status: HealthView['status'];
  database: { status: HealthView['database']['status'] };
  eventStore: { status: HealthView['eventStore']['status'] };
  projections: Array<Pick<ProjectionStatusReport, 'name' | 'status'>>;
  temporal: { status: HealthView['temporal']['status'] };
}

export function publicHealth(health: HealthView): PublicHealthView {
  return {
    status: health.status,
    database: { status: health.database.status },
    eventStore: { status: health.eventStore.status },
    projections: health.projections.map(({ name, status }) => ({ name, status })),
    temporal: { status: health.temporal.status },
  };
}
