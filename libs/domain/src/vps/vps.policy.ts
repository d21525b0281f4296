import { fromJsonSnapshot, toJsonSnapshot } from '../shared/json-snapshot';
import type { StreamPolicy } from '../shared/stream-policy';
import type { VpsState } from './vps.state';

/** Bump when VpsState's shape changes: snapshots of another version are ignored (the stream is folded). */
export const VPS_SNAPSHOT_SCHEMA_VERSION = 3; // 3: backupUpcharge (rebuild/resize/backups)

/**
 * A server's stream grows by a few events per billing period (~8,800 a year): its commands fold from a
 * snapshot, taken every 100 events, so a period's commands read O(1) events whatever the server's age.
 */
export const VPS_STREAM_POLICY: StreamPolicy<VpsState> = Object.freeze({
  snapshots: Object.freeze({
    every: 100,
    schemaVersion: VPS_SNAPSHOT_SCHEMA_VERSION,
    toSnapshot: (state: VpsState) => toJsonSnapshot(state),
    fromSnapshot: (data: unknown): VpsState => {
      const state = fromJsonSnapshot(data) as VpsState;
      if (typeof state !== 'object' || state === null || typeof state.status !== 'string')
        throw new Error('Invalid server snapshot: no status');
      return state;
    },
  }),
});
