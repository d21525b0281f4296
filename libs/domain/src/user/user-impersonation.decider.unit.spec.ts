import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor, NOW } from '../shared/testing/metadata';
import { userDecider, type UserCommand } from './user.decider';
import type {
  ImpersonationEnded,
  ImpersonationStarted,
  SessionRevoked,
  UserEvent,
  UserRegistered,
} from './user.events';

// Staff acting as a customer: the impersonation half of the user stream.
const spec = DeciderSpecification.for(userDecider);
const USER = 'user-1';
const self = metadataFor(USER);
const staff = metadataFor('staff-1', 'admin');
const otherStaff = metadataFor('staff-2', 'admin');
const system = metadataFor('system', 'system');
const customer = metadataFor('user-2');
const IN_AN_HOUR = '2026-01-01T01:00:00.000Z';
const at = (metadata: CommandMetadata, now: string): CommandMetadata => ({ ...metadata, now });

const registered = (platformRole: 'admin' | 'customer' = 'customer'): UserRegistered => ({
  type: 'UserRegistered',
  data: { userId: USER, email: 'ada@example.com', name: 'Ada', passwordHash: 'hash', platformRole },
});
const start = (
  sessionId = 's1',
  metadata: CommandMetadata = staff,
  data: Partial<{ reason: string; expiresAt: string }> = {},
): UserCommand => ({
  type: 'StartImpersonation',
  data: { sessionId, reason: ' ticket #42: cannot create a server ', expiresAt: IN_AN_HOUR, ...data },
  metadata,
});
const end = (sessionId = 's1', metadata: CommandMetadata = self): UserCommand => ({
  type: 'EndImpersonation',
  data: { sessionId },
  metadata,
});
const started = (
  sessionId = 's1',
  startedAt = NOW,
  expiresAt = IN_AN_HOUR,
  impersonatorId = 'staff-1',
): ImpersonationStarted => ({
  type: 'ImpersonationStarted',
  data: {
    userId: USER,
    sessionId,
    impersonatorId,
    reason: 'ticket #42: cannot create a server',
    startedAt,
    expiresAt,
  },
});
const ended = (sessionId = 's1', endedAt = NOW): ImpersonationEnded => ({
  type: 'ImpersonationEnded',
  data: { userId: USER, sessionId, impersonatorId: 'staff-1', endedAt },
});
const revoked = (sessionId = 's1'): SessionRevoked => ({
  type: 'SessionRevoked',
  data: { userId: USER, sessionId },
});

describe('user decider: impersonation', () => {
  describe('unregistered', () => {
    it('has nobody to impersonate', () => {
      spec.given([]).when(start()).thenThrows('not_found', 'user_not_found');
    });
  });

  describe('a registered customer', () => {
    it('is impersonated by a platform admin, for a reason, in a session of its own', () => {
      const state = spec.given([registered()]).when(start()).then([started()]);
      expect(state).toMatchObject({
        sessions: ['s1'],
        impersonations: [
          { sessionId: 's1', impersonatorId: 'staff-1', reason: 'ticket #42: cannot create a server' },
        ],
      });
    });

    it('records nothing new for a retried start of the same session', () => {
      spec.given([registered(), started()]).when(start()).then([]);
    });

    it('is impersonated only by a platform admin (not a customer, not the system)', () => {
      spec
        .given([registered()])
        .when(start('s1', customer))
        .thenThrows('forbidden', 'platform_admin_required');
      spec.given([registered()]).when(start('s1', system)).thenThrows('forbidden', 'platform_admin_required');
    });

    it('needs a reason', () => {
      spec
        .given([registered()])
        .when(start('s1', staff, { reason: '  ' }))
        .thenThrows('validation', 'invalid_reason');
      spec
        .given([registered()])
        .when(start('s1', staff, { reason: 'x'.repeat(501) }))
        .thenThrows('validation', 'invalid_reason');
    });

    it('lasts at most an hour, and ends in the future', () => {
      spec
        .given([registered()])
        .when(start('s1', staff, { expiresAt: '2026-01-01T01:00:00.001Z' }))
        .thenThrows('validation', 'invalid_expires_at');
      spec
        .given([registered()])
        .when(start('s1', staff, { expiresAt: NOW }))
        .thenThrows('validation', 'invalid_expires_at');
      spec
        .given([registered()])
        .when(start('s1', staff, { expiresAt: 'soon' }))
        .thenThrows('validation', 'invalid_expires_at');
    });

    it('has no impersonation to end', () => {
      spec.given([registered()]).when(end()).thenThrows('not_found', 'impersonation_not_found');
    });
  });

  describe('a platform admin', () => {
    it('is never impersonated, not even by another admin', () => {
      spec
        .given([registered('admin')])
        .when(start('s1', otherStaff))
        .thenThrows('forbidden', 'staff_not_impersonable');
    });

    it('is refused for a customer who became staff', () => {
      const granted: UserEvent = {
        type: 'PlatformRoleGranted',
        data: { userId: USER, platformRole: 'admin' },
      };
      spec.given([registered(), granted]).when(start()).thenThrows('forbidden', 'staff_not_impersonable');
    });
  });

  describe('while impersonated', () => {
    it('the session ends the impersonation, which revokes it', () => {
      const state = spec.given([registered(), started()]).when(end()).then([ended(), revoked()]);
      expect(state).toMatchObject({ sessions: [], impersonations: [] });
    });

    it('staff may end it too; nobody else', () => {
      spec.given([registered(), started()]).when(end('s1', otherStaff)).then([ended(), revoked()]);
      spec
        .given([registered(), started()])
        .when(end('s1', customer))
        .thenThrows('not_found', 'user_not_found');
    });

    it('an ordinary session is not an impersonation to end', () => {
      const signedIn: UserEvent = {
        type: 'SignedIn',
        data: { userId: USER, sessionId: 's2', ip: '203.0.113.1', userAgent: 'Firefox', newDevice: false },
      };
      spec
        .given([registered(), started(), signedIn])
        .when(end('s2'))
        .thenThrows('not_found', 'impersonation_not_found');
    });

    it('a revoked impersonation session is over', () => {
      spec
        .given([registered(), started(), revoked()])
        .when(end())
        .thenThrows('not_found', 'impersonation_not_found');
    });

    it('an ended one cannot be ended again', () => {
      spec
        .given([registered(), started(), ended(), revoked()])
        .when(end())
        .thenThrows('not_found', 'impersonation_not_found');
    });

    it('forgets impersonations expired by the time a new one starts', () => {
      const later = '2026-01-01T02:00:00.000Z';
      const state = spec
        .given([registered(), started()])
        .when(start('s2', at(staff, later), { expiresAt: '2026-01-01T02:30:00.000Z' }))
        .then([started('s2', later, '2026-01-01T02:30:00.000Z')]);
      expect(state).toMatchObject({ impersonations: [{ sessionId: 's2' }] });
    });
  });
});
