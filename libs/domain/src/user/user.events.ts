import type { DomainEvent } from '../shared/decider';

export type PlatformRole = 'admin' | 'customer';

/** Stream `useremail-<email>`: the reservation that makes an email unique. */
export type EmailClaimed = DomainEvent<'EmailClaimed', { email: string; userId: string }>;

/** Stream `user-<userId>`. */
export type UserRegistered = DomainEvent<
  'UserRegistered',
  { userId: string; email: string; name: string; passwordHash: string; platformRole: PlatformRole }
>;
export type PlatformRoleGranted = DomainEvent<
  'PlatformRoleGranted',
  { userId: string; platformRole: PlatformRole }
>;
export type ActiveOrganizationSelected = DomainEvent<
  'ActiveOrganizationSelected',
  { userId: string; organizationId: string }
>;

export type UserEvent = UserRegistered | PlatformRoleGranted | ActiveOrganizationSelected;
export type EmailClaimEvent = EmailClaimed;
