import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor, NOW } from '../shared/testing/metadata';
import { consoleDecider, type ConsoleCommand } from './console.decider';
import type {
  ConsoleEvent,
  ConsoleHostKeyPinned,
  ConsoleSessionClosed,
  ConsoleSessionOpened,
} from './console.events';

const spec = DeciderSpecification.for(consoleDecider);
const VPS = 'vps-1';
const ORG = 'org-1';
const USER = 'user-1';
const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;
const OTHER_FINGERPRINT = `SHA256:${'B'.repeat(43)}`;
const as = (userId = USER, now = NOW): CommandMetadata => ({ ...metadataFor(userId), now });
const later = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

const pin = (fingerprint = FINGERPRINT, algorithm = 'ssh-ed25519'): ConsoleCommand => ({
  type: 'PinConsoleHostKey',
  data: { vpsId: VPS, organizationId: ORG, algorithm, fingerprint },
  metadata: as(),
});
const open = (sessionId = 's-1', overrides: Partial<{ ip: string | null; userAgent: string | null }> = {}) =>
  ({
    type: 'OpenConsoleSession',
    data: { sessionId, userId: USER, ip: '203.0.113.9', userAgent: 'Firefox', ...overrides },
    metadata: as(),
  }) satisfies ConsoleCommand;
const close = (
  sessionId = 's-1',
  now = later(61.9),
  data: Partial<{ reason: string; bytesIn: number; bytesOut: number }> = {},
) =>
  ({
    type: 'CloseConsoleSession',
    data: { sessionId, reason: 'shell exited', bytesIn: 12, bytesOut: 3400, ...data },
    metadata: as(USER, now),
  }) satisfies ConsoleCommand;

const pinned = (fingerprint = FINGERPRINT): ConsoleHostKeyPinned => ({
  type: 'ConsoleHostKeyPinned',
  data: { vpsId: VPS, organizationId: ORG, algorithm: 'ssh-ed25519', fingerprint },
});
const INSTANCE = 'api-host-1:3001';
const OTHER_INSTANCE = 'api-host-2:3001';
const closeAbandoned = (sessionId = 's-1', instanceId = INSTANCE, now = later(3600.5)) =>
  ({
    type: 'CloseAbandonedConsoleSession',
    data: { sessionId, instanceId },
    metadata: { ...metadataFor('system', 'system'), now },
  }) satisfies ConsoleCommand;
const opened = (sessionId = 's-1', instanceId?: string): ConsoleSessionOpened => ({
  type: 'ConsoleSessionOpened',
  data: {
    sessionId,
    vpsId: VPS,
    organizationId: ORG,
    userId: USER,
    ip: '203.0.113.9',
    userAgent: 'Firefox',
    openedAt: NOW,
    ...(instanceId === undefined ? {} : { instanceId }),
  },
});
const closedAfterRestart = (sessionId = 's-1', durationSeconds = 3600): ConsoleSessionClosed => ({
  type: 'ConsoleSessionClosed',
  data: {
    sessionId,
    vpsId: VPS,
    reason: 'api_restarted',
    durationSeconds,
    bytesIn: 0,
    bytesOut: 0,
    durationIsUpperBound: true,
    bytesUnknown: true,
  },
});
const closed = (sessionId = 's-1', durationSeconds = 61): ConsoleSessionClosed => ({
  type: 'ConsoleSessionClosed',
  data: { sessionId, vpsId: VPS, reason: 'shell exited', durationSeconds, bytesIn: 12, bytesOut: 3400 },
});

describe('console decider', () => {
  describe('unpinned (no host key seen yet)', () => {
    it('pins the first host key presented', () => {
      const state = spec.given([]).when(pin()).then([pinned()]);
      expect(state).toEqual({
        status: 'pinned',
        vpsId: VPS,
        organizationId: ORG,
        hostKey: { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT },
        openSessions: {},
      });
    });

    it('refuses to open a session before the host key is pinned', () => {
      spec.given([]).when(open()).thenThrows('conflict', 'host_key_not_pinned');
    });

    it('refuses to close a session that was never opened', () => {
      spec.given([]).when(close()).thenThrows('conflict', 'session_not_open', { sessionId: 's-1' });
    });

    it.each([
      ['a SHA-1 style fingerprint', 'SHA1:abc', 'ssh-ed25519', 'invalid_fingerprint'],
      ['a fingerprint of the wrong length', `SHA256:${'A'.repeat(42)}`, 'ssh-ed25519', 'invalid_fingerprint'],
      ['an empty algorithm', FINGERPRINT, '', 'invalid_algorithm'],
      ['an algorithm with spaces', FINGERPRINT, 'ssh ed25519', 'invalid_algorithm'],
    ])('refuses %s', (_name, fingerprint, algorithm, reason) => {
      spec.given([]).when(pin(fingerprint, algorithm)).thenThrows('validation', reason);
    });
  });

  describe('pinned', () => {
    it('the same key again records nothing', () => {
      spec.given([pinned()]).when(pin()).then([]);
    });

    it('refuses a changed key, naming both fingerprints', () => {
      const error = spec
        .given([pinned()])
        .when(pin(OTHER_FINGERPRINT))
        .thenThrows('conflict', 'host_key_changed', {
          pinned: { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT },
          presented: { algorithm: 'ssh-ed25519', fingerprint: OTHER_FINGERPRINT },
        });
      expect(error.message).toContain(OTHER_FINGERPRINT);
    });

    it('refuses the same fingerprint under another algorithm', () => {
      spec
        .given([pinned()])
        .when(pin(FINGERPRINT, 'ecdsa-sha2-nistp256'))
        .thenThrows('conflict', 'host_key_changed');
    });

    it('opens a session with who and from where, at the decision instant', () => {
      const state = spec.given([pinned()]).when(open()).then([opened()]);
      expect(state.status === 'pinned' && state.openSessions).toEqual({
        's-1': { userId: USER, openedAt: NOW, instanceId: null },
      });
    });

    it('records the API instance holding the session', () => {
      const event = opened('s-1', INSTANCE);
      const state = spec
        .given([pinned()])
        .when({ ...open(), data: { ...open().data, instanceId: INSTANCE } })
        .then([event]);
      expect(state.status === 'pinned' && state.openSessions['s-1']?.instanceId).toBe(INSTANCE);
    });

    it('refuses an empty instance id', () => {
      spec
        .given([pinned()])
        .when({ ...open(), data: { ...open().data, instanceId: ' ' } })
        .thenThrows('validation', 'invalid_instance_id');
    });

    it('opens a session without a known ip or user agent', () => {
      const event = opened();
      spec
        .given([pinned()])
        .when(open('s-1', { ip: null, userAgent: null }))
        .then([{ ...event, data: { ...event.data, ip: null, userAgent: null } }]);
    });

    it('opening the same session again records nothing', () => {
      spec.given([pinned(), opened()]).when(open()).then([]);
    });

    it('refuses an over-long user agent', () => {
      spec
        .given([pinned()])
        .when(open('s-1', { userAgent: 'x'.repeat(257) }))
        .thenThrows('validation', 'invalid_user_agent');
    });

    it('closes an open session with its whole seconds and byte counts', () => {
      const state = spec.given([pinned(), opened()]).when(close()).then([closed()]);
      expect(state.status === 'pinned' && state.openSessions).toEqual({});
    });

    it('a clock that went backwards closes with 0 seconds, not a negative duration', () => {
      spec
        .given([pinned(), opened()])
        .when(close('s-1', later(-5)))
        .then([closed('s-1', 0)]);
    });

    it('keeps other sessions open when one closes', () => {
      const state = spec
        .given([pinned(), opened('s-1'), opened('s-2')])
        .when(close('s-1'))
        .then([closed('s-1')]);
      expect(state.status === 'pinned' && Object.keys(state.openSessions)).toEqual(['s-2']);
    });

    it('refuses to close a session twice', () => {
      spec.given([pinned(), opened(), closed()]).when(close()).thenThrows('conflict', 'session_not_open');
    });

    it.each([
      ['a negative byte count', { bytesIn: -1 }, 'invalid_bytes_in'],
      ['a fractional byte count', { bytesOut: 1.5 }, 'invalid_bytes_out'],
      ['an empty reason', { reason: '  ' }, 'invalid_reason'],
      ['an over-long reason', { reason: 'r'.repeat(201) }, 'invalid_reason'],
    ])('refuses %s', (_name, data, reason) => {
      spec
        .given([pinned(), opened()])
        .when(close('s-1', later(1), data))
        .thenThrows('validation', reason);
    });
  });

  describe('a session its API instance left open (closed when that instance starts again)', () => {
    it('closes it with reason api_restarted, the duration up to now flagged as an upper bound', () => {
      const state = spec
        .given([pinned(), opened('s-1', INSTANCE), opened('s-2', INSTANCE)])
        .when(closeAbandoned('s-1'))
        .then([closedAfterRestart('s-1')]);
      expect(state.status === 'pinned' && Object.keys(state.openSessions)).toEqual(['s-2']);
    });

    it('refuses a session another instance opened', () => {
      spec
        .given([pinned(), opened('s-1', OTHER_INSTANCE)])
        .when(closeAbandoned('s-1'))
        .thenThrows('conflict', 'session_of_another_instance', {
          sessionId: 's-1',
          instanceId: OTHER_INSTANCE,
        });
    });

    it('refuses a session recorded before instances were (no instance id)', () => {
      spec
        .given([pinned(), opened('s-1')])
        .when(closeAbandoned('s-1'))
        .thenThrows('conflict', 'session_of_another_instance');
    });

    it('refuses a session already closed normally (a race with the normal close)', () => {
      spec
        .given([pinned(), opened('s-1', INSTANCE), closed('s-1')])
        .when(closeAbandoned('s-1'))
        .thenThrows('conflict', 'session_not_open', { sessionId: 's-1' });
    });

    it('refuses to close it twice (a second start)', () => {
      spec
        .given([pinned(), opened('s-1', INSTANCE), closedAfterRestart('s-1')])
        .when(closeAbandoned('s-1'))
        .thenThrows('conflict', 'session_not_open');
    });

    it('refuses on a console never pinned', () => {
      spec.given([]).when(closeAbandoned('s-1')).thenThrows('conflict', 'session_not_open');
    });

    it('a normal close after it was closed is refused', () => {
      spec
        .given([pinned(), opened('s-1', INSTANCE), closedAfterRestart('s-1')])
        .when(close('s-1'))
        .thenThrows('conflict', 'session_not_open');
    });
  });

  it('a later pin event never replaces the pinned key when folding', () => {
    const events: ConsoleEvent[] = [pinned(), pinned(OTHER_FINGERPRINT)];
    const state = stateAfter(consoleDecider, events);
    expect(state.status === 'pinned' && state.hostKey.fingerprint).toBe(FINGERPRINT);
  });

  describe('reset (the server was rebuilt: a new host key)', () => {
    const reset = (operationId = 'op-rebuild'): ConsoleCommand => ({
      type: 'ResetConsoleHostKey',
      data: { vpsId: VPS, operationId },
      metadata: metadataFor('system', 'system'),
    });
    const wasReset = (operationId = 'op-rebuild'): ConsoleEvent => ({
      type: 'ConsoleHostKeyReset',
      data: {
        vpsId: VPS,
        operationId,
        previous: { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT },
      },
    });

    it('a pinned key is reset; the next key shown is pinned (no host_key_changed)', () => {
      spec.given([pinned()]).when(reset()).then([wasReset()]);
      const state = spec
        .given([pinned(), wasReset()])
        .when(pin(OTHER_FINGERPRINT))
        .then([pinned(OTHER_FINGERPRINT)]);
      expect(state).toMatchObject({ status: 'pinned', hostKey: { fingerprint: OTHER_FINGERPRINT } });
      // Without the reset, the same new key is refused.
      spec.given([pinned()]).when(pin(OTHER_FINGERPRINT)).thenThrows('conflict', 'host_key_changed');
    });

    it('the same rebuild’s reset again records nothing, before or after the new key was pinned', () => {
      spec.given([pinned(), wasReset()]).when(reset()).then([]);
      spec
        .given([pinned(), wasReset(), pinned(OTHER_FINGERPRINT)])
        .when(reset())
        .then([]);
      // A later rebuild resets again.
      spec
        .given([pinned(), wasReset(), pinned(OTHER_FINGERPRINT)])
        .when(reset('op-2'))
        .then([
          {
            type: 'ConsoleHostKeyReset',
            data: {
              vpsId: VPS,
              operationId: 'op-2',
              previous: { algorithm: 'ssh-ed25519', fingerprint: OTHER_FINGERPRINT },
            },
          },
        ]);
    });

    it('nothing pinned: nothing to reset', () => {
      spec.given([]).when(reset()).then([]);
    });

    it('no session opens before the new key is pinned; a session from before the rebuild still closes', () => {
      spec.given([pinned(), wasReset()]).when(open('s-2')).thenThrows('conflict', 'host_key_not_pinned');
      const state = spec.given([pinned(), opened(), wasReset()]).when(close()).then([closed()]);
      expect(state).toMatchObject({ status: 'reset', openSessions: {} });
      // Still open after the new key was pinned, and closed then.
      spec
        .given([pinned(), opened(), wasReset(), pinned(OTHER_FINGERPRINT)])
        .when(close())
        .then([closed()]);
    });
  });
});
