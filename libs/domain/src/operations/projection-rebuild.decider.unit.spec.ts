import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor, NOW } from '../shared/testing/metadata';
import {
  MAX_REBUILD_ERROR_LENGTH,
  projectionRebuildDecider,
  type CompleteProjectionRebuild,
  type FailProjectionRebuild,
  type RequestProjectionRebuild,
} from './projection-rebuild.decider';
import type {
  ProjectionRebuildCompleted,
  ProjectionRebuildEvent,
  ProjectionRebuildFailed,
  ProjectionRebuildRequested,
} from './projection-rebuild.events';

const spec = DeciderSpecification.for(projectionRebuildDecider);
const admin: CommandMetadata = metadataFor('staff-1', 'admin');
const system: CommandMetadata = metadataFor('system', 'system');
const customer: CommandMetadata = metadataFor('user-1');
const PROJECTION = 'wallet-transactions';

const request = (rebuildId = 'r1', reason?: string | null, metadata = admin): RequestProjectionRebuild => ({
  type: 'RequestProjectionRebuild',
  data: { projection: PROJECTION, rebuildId, ...(reason !== undefined ? { reason } : {}) },
  metadata,
});
const complete = (rebuildId = 'r1', metadata = system): CompleteProjectionRebuild => ({
  type: 'CompleteProjectionRebuild',
  data: { rebuildId, events: 1200, position: '1200/1200', durationMs: 850 },
  metadata,
});
const fail = (rebuildId = 'r1', error = 'connection reset', metadata = system): FailProjectionRebuild => ({
  type: 'FailProjectionRebuild',
  data: { rebuildId, error },
  metadata,
});

const requested = (rebuildId = 'r1', reason: string | null = null): ProjectionRebuildRequested => ({
  type: 'ProjectionRebuildRequested',
  data: { projection: PROJECTION, rebuildId, reason, requestedBy: 'staff-1', requestedAt: NOW },
});
const completed = (rebuildId = 'r1'): ProjectionRebuildCompleted => ({
  type: 'ProjectionRebuildCompleted',
  data: {
    projection: PROJECTION,
    rebuildId,
    events: 1200,
    position: '1200/1200',
    durationMs: 850,
    completedAt: NOW,
  },
});
const failed = (rebuildId = 'r1', error = 'connection reset'): ProjectionRebuildFailed => ({
  type: 'ProjectionRebuildFailed',
  data: { projection: PROJECTION, rebuildId, error, failedAt: NOW },
});

describe('projection rebuild decider', () => {
  describe('never rebuilt', () => {
    it('an admin request records who asked, when and why', () => {
      const state = spec
        .given([])
        .when(request('r1', '  index bug fixed  '))
        .then([requested('r1', 'index bug fixed')]);
      expect(state).toEqual({
        status: 'rebuilding',
        projection: PROJECTION,
        rebuildId: 'r1',
        requestedBy: 'staff-1',
        requestedAt: NOW,
        reason: 'index bug fixed',
        last: null,
      });
      spec
        .given([])
        .when(request('r1', null))
        .then([requested('r1')]);
    });

    it('refuses customers, bad reasons and bad ids', () => {
      spec
        .given([])
        .when(request('r1', undefined, customer))
        .thenThrows('forbidden', 'platform_admin_required');
      spec.given([]).when(request('r1', '   ')).thenThrows('validation', 'invalid_reason');
      spec
        .given([])
        .when(request('r1', 'x'.repeat(501)))
        .thenThrows('validation', 'invalid_reason');
      spec.given([]).when(request(' r1')).thenThrows('validation', 'invalid_rebuild_id');
    });

    it('there is nothing to complete or fail', () => {
      spec.given([]).when(complete()).thenThrows('conflict', 'rebuild_not_running');
      spec.given([]).when(fail()).thenThrows('conflict', 'rebuild_not_running');
    });
  });

  describe('rebuilding', () => {
    it('a second request is a conflict naming the running rebuild; the same request again records nothing', () => {
      spec
        .given([requested()])
        .when(request('r2'))
        .thenThrows('conflict', 'rebuild_in_progress', { rebuildId: 'r1' });
      spec.given([requested()]).when(request('r1')).then([]);
    });

    it('completes with the replayed count, position and duration', () => {
      const state = spec.given([requested()]).when(complete()).then([completed()]);
      expect(state).toMatchObject({
        status: 'idle',
        last: { outcome: 'completed', rebuildId: 'r1', events: 1200 },
      });
    });

    it('rejects impossible figures', () => {
      spec
        .given([requested()])
        .when({ ...complete(), data: { rebuildId: 'r1', events: -1, position: null, durationMs: 1 } })
        .thenThrows('validation', 'invalid_events');
      spec
        .given([requested()])
        .when({ ...complete(), data: { rebuildId: 'r1', events: 1, position: '12', durationMs: 1 } })
        .thenThrows('validation', 'invalid_position');
    });

    it('fails with the error cut to a bounded length (the failure is always recorded)', () => {
      spec.given([requested()]).when(fail()).then([failed()]);
      const [event] = projectionRebuildDecider.decide(
        fail('r1', 'e'.repeat(5000)),
        stateAfter(projectionRebuildDecider, [requested()]),
      );
      expect((event as ProjectionRebuildFailed).data.error).toHaveLength(MAX_REBUILD_ERROR_LENGTH);
      spec
        .given([requested()])
        .when(fail('r1', '  '))
        .then([failed('r1', 'unknown error')]);
    });

    it('completing or failing another rebuild is a conflict', () => {
      spec.given([requested()]).when(complete('r0')).thenThrows('conflict', 'rebuild_not_running');
      spec.given([requested()]).when(fail('r0')).thenThrows('conflict', 'rebuild_not_running');
    });

    it('keeps the previous outcome while the next one runs', () => {
      const state = stateAfter(projectionRebuildDecider, [requested('r1'), failed('r1'), requested('r2')]);
      expect(state).toMatchObject({
        status: 'rebuilding',
        rebuildId: 'r2',
        last: { outcome: 'failed', rebuildId: 'r1' },
      });
    });
  });

  describe('idle after a rebuild', () => {
    const history: ProjectionRebuildEvent[] = [requested('r1'), completed('r1')];

    it('a retried completion or failure of the finished rebuild records nothing', () => {
      spec.given(history).when(complete('r1')).then([]);
      spec.given(history).when(fail('r1')).then([]);
      spec
        .given([requested('r1'), failed('r1'), requested('r2')])
        .when(fail('r1'))
        .then([]);
    });

    it('a new request starts another rebuild; replaying the old request records nothing', () => {
      spec
        .given(history)
        .when(request('r2'))
        .then([requested('r2')]);
      spec.given(history).when(request('r1')).then([]);
    });

    it('the stream belongs to one projection', () => {
      spec
        .given(history)
        .when({ ...request('r2'), data: { projection: 'wallets', rebuildId: 'r2' } })
        .thenThrows('validation', 'projection_mismatch');
    });
  });
});
