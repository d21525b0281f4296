import {
  assertNever,
  type ImpersonationStarted,
  type SessionRevoked,
  type SignedIn,
  type UserEvent,
} from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { UserSessionEntity, type UserSessionRow } from './user-session.entity';

type SessionEvent = SignedIn | ImpersonationStarted | SessionRevoked;

export const userSessionsProjection: Projection<UserSessionRow> = {
  name: 'user-sessions',
  entity: UserSessionEntity,
  handles: ['SignedIn', 'ImpersonationStarted', 'SessionRevoked'] satisfies UserEvent['type'][],
  keyOf: (event) => asRecorded<SessionEvent>(event).data.sessionId,
  evolve(row, recorded) {
    const event = asRecorded<SessionEvent>(recorded);
    switch (event.type) {
      case 'SignedIn':
        return {
          id: event.data.sessionId,
          userId: event.data.userId,
          ip: event.data.ip,
          userAgent: event.data.userAgent,
          signedInAt: occurredAt(event),
          revokedAt: row?.revokedAt ?? null,
          impersonatorId: null,
        };
      case 'ImpersonationStarted':
        // The staff member's address and browser, as the event's actor recorded them.
        return {
          id: event.data.sessionId,
          userId: event.data.userId,
          ip: event.metadata.actor.ip ?? 'unknown',
          userAgent: event.metadata.actor.userAgent ?? '',
          signedInAt: occurredAt(event),
          revokedAt: row?.revokedAt ?? null,
          impersonatorId: event.data.impersonatorId,
        };
      case 'SessionRevoked':
        return row && { ...row, revokedAt: row.revokedAt ?? occurredAt(event) };
      default:
        return assertNever(event);
    }
  },
};
