import { Query } from '@nestjs/cqrs';
import type { ProjectionStatusReport } from '@stratus/projections';

export interface HealthView {
  status: 'ok' | 'degraded';
  database: { status: 'up' | 'down'; error?: string };
  eventStore: { status: 'up' | 'down'; kind: string; error?: string };
  projections: ProjectionStatusReport[];
}

export class GetHealthQuery extends Query<HealthView> {}
