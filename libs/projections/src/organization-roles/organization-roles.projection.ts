import { assertNever, type OrganizationEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { OrganizationRoleEntity, type OrganizationRoleRow } from './organization-role.entity';

type Handled = Extract<
  OrganizationEvent,
  { type: 'CustomRoleCreated' | 'CustomRoleUpdated' | 'CustomRoleDeleted' }
>;

/** The custom roles of each organization: listed on the members page, resolved for memberships and mail. */
export const organizationRolesProjection: Projection<OrganizationRoleRow> = {
  name: 'organization-roles',
  entity: OrganizationRoleEntity,
  handles: ['CustomRoleCreated', 'CustomRoleUpdated', 'CustomRoleDeleted'] satisfies Handled['type'][],
  keyOf(recorded) {
    const event = asRecorded<Handled>(recorded);
    return [event.data.organizationId, event.data.roleId];
  },
  evolve(row, recorded) {
    const event = asRecorded<Handled>(recorded);
    switch (event.type) {
      case 'CustomRoleCreated':
        return {
          organizationId: event.data.organizationId,
          roleId: event.data.roleId,
          name: event.data.name,
          permissions: [...event.data.permissions],
          createdAt: occurredAt(event),
          updatedAt: occurredAt(event),
        };
      case 'CustomRoleUpdated':
        return (
          row && {
            ...row,
            name: event.data.name,
            permissions: [...event.data.permissions],
            updatedAt: occurredAt(event),
          }
        );
      case 'CustomRoleDeleted':
        return null;
      default:
        return assertNever(event);
    }
  },
};
