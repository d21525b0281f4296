import { createHash } from 'node:crypto';
import type { Permission } from '../../permissions/permissions';
import { metadataFor, NOW } from '../../shared/testing/metadata';
import type { OrganizationCommand } from '../organization.commands';
import type { MemberAdded, OrganizationEvent } from '../organization.events';
import { INVITATION_TTL_MS } from '../organization.invitations';

/** Events and commands of one organization, for the organization decider's specs. Test-only. */
export const ORG = 'org-1';
export const OWNER = 'user-owner';
export const as = metadataFor;
export const staff = metadataFor('staff-1', 'admin');
export const sha = (token: string) => createHash('sha256').update(token).digest('hex');
export const IN_SEVEN_DAYS = new Date(Date.parse(NOW) + INVITATION_TTL_MS).toISOString();
/** `NOW` moved by this many ms. */
export const at = (userId: string, ms: number) => ({
  ...metadataFor(userId),
  now: new Date(Date.parse(NOW) + ms).toISOString(),
});

export const added = (userId: string, role: string): MemberAdded => ({
  type: 'MemberAdded',
  data: { organizationId: ORG, userId, role },
});

/** An organization with one member of every predefined role. */
export const everyRole: OrganizationEvent[] = [
  { type: 'OrganizationCreated', data: { organizationId: ORG, name: 'Acme', createdBy: OWNER } },
  added(OWNER, 'owner'),
  added('user-admin', 'admin'),
  added('user-member', 'member'),
  added('user-vps', 'vps_manager'),
  added('user-hosting', 'hosting_manager'),
  added('user-support', 'support_agent'),
  added('user-viewer', 'viewer'),
];

export const roleCreated = (roleId: string, name: string, permissions: Permission[]): OrganizationEvent => ({
  type: 'CustomRoleCreated',
  data: { organizationId: ORG, roleId, name, permissions },
});

export function command<T extends OrganizationCommand['type']>(
  type: T,
  data: Extract<OrganizationCommand, { type: T }>['data'],
  metadata = as(OWNER),
): OrganizationCommand {
  return { type, data, metadata } as OrganizationCommand;
}
