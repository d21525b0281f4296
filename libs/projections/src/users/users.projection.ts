import { assertNever, type UserEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { UserEntity, type UserRow } from './user.entity';

export const usersProjection: Projection<UserRow> = {
  name: 'users',
  entity: UserEntity,
  handles: [
    'UserRegistered',
    'PlatformRoleGranted',
    'ActiveOrganizationSelected',
  ] satisfies UserEvent['type'][],
  keyOf: (event) => asRecorded<UserEvent>(event).data.userId,
  evolve(row, recorded) {
    const event = asRecorded<UserEvent>(recorded);
    switch (event.type) {
      case 'UserRegistered':
        return {
          id: event.data.userId,
          email: event.data.email,
          name: event.data.name,
          platformRole: event.data.platformRole,
          activeOrganizationId: row?.activeOrganizationId ?? null,
          createdAt: occurredAt(event),
        };
      case 'PlatformRoleGranted':
        return row && { ...row, platformRole: event.data.platformRole };
      case 'ActiveOrganizationSelected':
        return row && { ...row, activeOrganizationId: event.data.organizationId };
      default:
        return assertNever(event);
    }
  },
};
