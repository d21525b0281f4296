import type { DomainEvent } from '../shared/decider';

/**
 * Stream `projection-<name>`: operator actions on one read model. Each event's metadata names its
 * actor (the admin who asked, or the system that finished the work).
 */
export type ProjectionRebuildRequested = DomainEvent<
  'ProjectionRebuildRequested',
  {
    projection: string;
    rebuildId: string;
    reason: string | null;
    /** User id of the admin (also in the event's metadata.actor). */
    requestedBy: string;
    requestedAt: string;
  }
>;
export type ProjectionRebuildCompleted = DomainEvent<
  'ProjectionRebuildCompleted',
  {
    projection: string;
    rebuildId: string;
    /** Events replayed from the start of the all-stream. */
    events: number;
    /** Checkpoint the live projection continued from ("commit/prepare"), null for an empty store. */
    position: string | null;
    durationMs: number;
    completedAt: string;
  }
>;
export type ProjectionRebuildFailed = DomainEvent<
  'ProjectionRebuildFailed',
  { projection: string; rebuildId: string; error: string; failedAt: string }
>;

export type ProjectionRebuildEvent =
  ProjectionRebuildRequested | ProjectionRebuildCompleted | ProjectionRebuildFailed;
