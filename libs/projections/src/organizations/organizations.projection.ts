import { assertNever, type OrganizationEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { OrganizationEntity, type OrganizationRow } from './organization.entity';

type Handled = Extract<
  OrganizationEvent,
  { type: 'OrganizationCreated' | 'OrganizationRenamed' | 'MemberAdded' | 'MemberRemoved' }
>;

export const organizationsProjection: Projection<OrganizationRow> = {
  name: 'organizations',
  entity: OrganizationEntity,
  handles: [
    'OrganizationCreated',
    'OrganizationRenamed',
    'MemberAdded',
    'MemberRemoved',
  ] satisfies Handled['type'][],
  keyOf: (event) => asRecorded<Handled>(event).data.organizationId,
  evolve(row, recorded) {
    const event = asRecorded<Handled>(recorded);
    switch (event.type) {
      case 'OrganizationCreated':
        return {
          id: event.data.organizationId,
          name: event.data.name,
          createdBy: event.data.createdBy,
          createdAt: occurredAt(event),
          // Members may only be added after creation, so a replay never sees them first.
          memberCount: row?.memberCount ?? 0,
        };
      case 'OrganizationRenamed':
        return row && { ...row, name: event.data.name };
      case 'MemberAdded':
        return row && { ...row, memberCount: row.memberCount + 1 };
      case 'MemberRemoved':
        return row && { ...row, memberCount: Math.max(0, row.memberCount - 1) };
      default:
        return assertNever(event);
    }
  },
};
