import { assertNever, type OrganizationEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { MembershipEntity, type MembershipRow } from './membership.entity';

type Handled = Extract<OrganizationEvent, { type: 'MemberAdded' | 'MemberRoleChanged' | 'MemberRemoved' }>;

export const membershipsProjection: Projection<MembershipRow> = {
  name: 'memberships',
  entity: MembershipEntity,
  handles: ['MemberAdded', 'MemberRoleChanged', 'MemberRemoved'] satisfies Handled['type'][],
  keyOf(recorded) {
    const event = asRecorded<Handled>(recorded);
    return [event.data.organizationId, event.data.userId];
  },
  evolve(row, recorded) {
    const event = asRecorded<Handled>(recorded);
    switch (event.type) {
      case 'MemberAdded':
        return {
          organizationId: event.data.organizationId,
          userId: event.data.userId,
          role: event.data.role,
          joinedAt: occurredAt(event),
        };
      case 'MemberRoleChanged':
        return row && { ...row, role: event.data.role };
      case 'MemberRemoved':
        return null;
      default:
        return assertNever(event);
    }
  },
};
