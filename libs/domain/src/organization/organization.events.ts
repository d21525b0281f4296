import type { DomainEvent } from '../shared/decider';
import type { OrganizationRole } from '../permissions/permissions';

/** Stream `organization-<organizationId>`. */
export type OrganizationCreated = DomainEvent<
  'OrganizationCreated',
  { organizationId: string; name: string; createdBy: string }
>;
export type OrganizationRenamed = DomainEvent<
  'OrganizationRenamed',
  { organizationId: string; name: string }
>;
export type MemberAdded = DomainEvent<
  'MemberAdded',
  { organizationId: string; userId: string; role: OrganizationRole }
>;
export type MemberRoleChanged = DomainEvent<
  'MemberRoleChanged',
  { organizationId: string; userId: string; role: OrganizationRole; previousRole: OrganizationRole }
>;
export type MemberRemoved = DomainEvent<
  'MemberRemoved',
  { organizationId: string; userId: string; role: OrganizationRole; reason: 'removed' | 'left' }
>;

export type OrganizationEvent =
  OrganizationCreated | OrganizationRenamed | MemberAdded | MemberRoleChanged | MemberRemoved;
