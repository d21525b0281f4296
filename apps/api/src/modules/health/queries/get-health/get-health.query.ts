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
