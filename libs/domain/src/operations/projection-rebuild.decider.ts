import { isPlatformStaff } from '../shared/actor';
import {
  assertNever,
  DomainError,
  type Command,
  type CommandMetadata,
  type Decider,
} from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { ProjectionRebuildEvent } from './projection-rebuild.events';

export const MAX_REBUILD_REASON_LENGTH = 500;
/** A failure's message is recorded, cut to this length (never refused: the failure must be on record). */
export const MAX_REBUILD_ERROR_LENGTH = 2000;

/** Staff only. Refused while a rebuild of the projection is running; the same rebuildId again records nothing. */
export type RequestProjectionRebuild = Command<
  'RequestProjectionRebuild',
  { projection: string; rebuildId: string; reason?: string | null }
>;
export type CompleteProjectionRebuild = Command<
  'CompleteProjectionRebuild',
  { rebuildId: string; events: number; position: string | null; durationMs: number }
>;
/** Also how a rebuild abandoned by a stopped process is closed (the API, at its next start). */
export type FailProjectionRebuild = Command<'FailProjectionRebuild', { rebuildId: string; error: string }>;
export type ProjectionRebuildCommand =
  RequestProjectionRebuild | CompleteProjectionRebuild | FailProjectionRebuild;

export type RebuildOutcome =
  | {
      outcome: 'completed';
      rebuildId: string;
      at: string;
      events: number;
      position: string | null;
      durationMs: number;
    }
  | { outcome: 'failed'; rebuildId: string; at: string; error: string };

export type ProjectionRebuildState =
  | { status: 'never_rebuilt' }
  | {
      status: 'rebuilding';
      projection: string;
      rebuildId: string;
      requestedBy: string;
      requestedAt: string;
      reason: string | null;
      last: RebuildOutcome | null;
    }
  | { status: 'idle'; projection: string; last: RebuildOutcome };

function requireStaff(metadata: CommandMetadata): void {
  if (!isPlatformStaff(metadata)) {
    throw new DomainError(
      'forbidden',
      'platform_admin_required',
      'Only platform staff can rebuild projections',
    );
  }
}

function requireCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DomainError('validation', `invalid_${field}`, `${field} must be a non-negative integer`, {
      field,
    });
  }
  return value;
}

/** The running rebuild, or null when this rebuildId already finished (a retried completion). */
function requireRunning(
  state: ProjectionRebuildState,
  rebuildId: string,
): Extract<ProjectionRebuildState, { status: 'rebuilding' }> | null {
  switch (state.status) {
    case 'rebuilding':
      if (state.rebuildId === rebuildId) return state;
      if (state.last?.rebuildId === rebuildId) return null;
      break;
    case 'idle':
      if (state.last.rebuildId === rebuildId) return null;
      break;
    case 'never_rebuilt':
      break;
    default:
      return assertNever(state);
  }
  throw new DomainError('conflict', 'rebuild_not_running', 'This rebuild is not running', { rebuildId });
}

export function initialProjectionRebuildState(): ProjectionRebuildState {
  return { status: 'never_rebuilt' };
}

export function decideProjectionRebuild(
  command: ProjectionRebuildCommand,
  state: ProjectionRebuildState,
): ProjectionRebuildEvent[] {
  requireStaff(command.metadata);
  switch (command.type) {
    case 'RequestProjectionRebuild': {
      const projection = requireId(command.data.projection, 'projection', 100);
      const rebuildId = requireId(command.data.rebuildId, 'rebuildId');
      const reason =
        command.data.reason === undefined || command.data.reason === null
          ? null
          : requireText(command.data.reason, 'reason', 'invalid_reason', MAX_REBUILD_REASON_LENGTH);
      switch (state.status) {
        case 'rebuilding':
          if (state.rebuildId === rebuildId) return [];
          throw new DomainError(
            'conflict',
            'rebuild_in_progress',
            `A rebuild of ${state.projection} is running`,
            {
              rebuildId: state.rebuildId,
            },
          );
        case 'idle':
          if (state.last.rebuildId === rebuildId) return [];
          if (state.projection !== projection) {
            throw new DomainError('validation', 'projection_mismatch', 'This stream is another projection', {
              field: 'projection',
            });
          }
          break;
        case 'never_rebuilt':
          break;
        default:
          return assertNever(state);
      }
      return [
        {
          type: 'ProjectionRebuildRequested',
          data: {
            projection,
            rebuildId,
            reason,
            requestedBy: command.metadata.actor.userId,
            requestedAt: command.metadata.now,
          },
        },
      ];
    }
    case 'CompleteProjectionRebuild': {
      const running = requireRunning(state, command.data.rebuildId);
      if (!running) return [];
      const position = command.data.position;
      if (position !== null && (typeof position !== 'string' || !/^\d+\/\d+$/.test(position))) {
        throw new DomainError('validation', 'invalid_position', 'position must be "commit/prepare" or null', {
          field: 'position',
        });
      }
      return [
        {
          type: 'ProjectionRebuildCompleted',
          data: {
            projection: running.projection,
            rebuildId: running.rebuildId,
            events: requireCount(command.data.events, 'events'),
            position,
            durationMs: requireCount(command.data.durationMs, 'durationMs'),
            completedAt: command.metadata.now,
          },
        },
      ];
    }
    case 'FailProjectionRebuild': {
      const running = requireRunning(state, command.data.rebuildId);
      if (!running) return [];
      const error =
        typeof command.data.error === 'string' && command.data.error.trim().length > 0
          ? command.data.error.trim().slice(0, MAX_REBUILD_ERROR_LENGTH)
          : 'unknown error';
      return [
        {
          type: 'ProjectionRebuildFailed',
          data: {
            projection: running.projection,
            rebuildId: running.rebuildId,
            error,
            failedAt: command.metadata.now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export function evolveProjectionRebuild(
  state: ProjectionRebuildState,
  event: ProjectionRebuildEvent,
): ProjectionRebuildState {
  switch (event.type) {
    case 'ProjectionRebuildRequested':
      return {
        status: 'rebuilding',
        projection: event.data.projection,
        rebuildId: event.data.rebuildId,
        requestedBy: event.data.requestedBy,
        requestedAt: event.data.requestedAt,
        reason: event.data.reason,
        last: state.status === 'never_rebuilt' ? null : state.last,
      };
    case 'ProjectionRebuildCompleted':
      return {
        status: 'idle',
        projection: event.data.projection,
        last: {
          outcome: 'completed',
          rebuildId: event.data.rebuildId,
          at: event.data.completedAt,
          events: event.data.events,
          position: event.data.position,
          durationMs: event.data.durationMs,
        },
      };
    case 'ProjectionRebuildFailed':
      return {
        status: 'idle',
        projection: event.data.projection,
        last: {
          outcome: 'failed',
          rebuildId: event.data.rebuildId,
          at: event.data.failedAt,
          error: event.data.error,
        },
      };
    default:
      return assertNever(event);
  }
}

export const projectionRebuildDecider: Decider<
  ProjectionRebuildState,
  ProjectionRebuildCommand,
  ProjectionRebuildEvent
> = {
  decide: decideProjectionRebuild,
  evolve: evolveProjectionRebuild,
  initialState: initialProjectionRebuildState,
};
