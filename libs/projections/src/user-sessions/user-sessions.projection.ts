import { assertNever, type SessionRevoked, type SignedIn, type UserEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { UserSessionEntity, type UserSessionRow } from './user-session.entity';

export const userSessionsProjection: Projection<UserSessionRow> = {
  name: 'user-sessions',
  entity: UserSessionEntity,
  handles: ['SignedIn', 'SessionRevoked'] satisfies UserEvent['type'][],
  keyOf: (event) => asRecorded<SignedIn | SessionRevoked>(event).data.sessionId,
  evolve(row, recorded) {
    const event = asRecorded<SignedIn | SessionRevoked>(recorded);
    switch (event.type) {
      case 'SignedIn':
        return {
          id: event.data.sessionId,
          userId: event.data.userId,
          ip: event.data.ip,
          userAgent: event.data.userAgent,
          signedInAt: occurredAt(event),
          revokedAt: row?.revokedAt ?? null,
        };
      case 'SessionRevoked':
        return row && { ...row, revokedAt: row.revokedAt ?? occurredAt(event) };
      default:
        return assertNever(event);
    }
  },
};
