/** The nineteen organization permissions and seven roles (see shared/reference/roles.md). */
export const PERMISSIONS = [
  'vps_view',
  'vps_create',
  'vps_delete',
  'vps_manage',
  'notes_view',
  'notes_manage',
  'ssh_keys_view',
  'ssh_keys_manage',
  'tickets_view',
  'tickets_create',
  'tickets_manage',
  'billing_view',
  'billing_manage',
  'egress_view',
  'egress_manage',
  'members_manage',
  'settings_manage',
  'hosting_view',
  'hosting_manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ORGANIZATION_ROLES = [
  'owner',
  'admin',
  'member',
  'vps_manager',
  'hosting_manager',
  'support_agent',
  'viewer',
] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

const ADMIN_EXCLUDED: readonly Permission[] = ['billing_manage', 'egress_manage', 'members_manage'];

export const ROLE_PERMISSIONS: Readonly<Record<OrganizationRole, readonly Permission[]>> = Object.freeze({
  // full access
  owner: PERMISSIONS,
  // everything except money and membership
  admin: PERMISSIONS.filter((p) => !ADMIN_EXCLUDED.includes(p)),
  // day-to-day operator without destructive operations
  member: [
    'vps_view',
    'vps_create',
    'vps_manage',
    'notes_view',
    'notes_manage',
    'ssh_keys_view',
    'tickets_view',
    'tickets_create',
    'billing_view',
    'egress_view',
    'hosting_view',
    'hosting_manage',
  ],
  // servers only
  vps_manager: ['vps_view', 'vps_create', 'vps_manage', 'notes_view', 'ssh_keys_view', 'ssh_keys_manage'],
  // web hosting only
  hosting_manager: [
    'notes_view',
    'ssh_keys_view',
    'tickets_view',
    'tickets_create',
    'billing_view',
    'egress_view',
    'hosting_view',
    'hosting_manage',
  ],
  // support tickets with read-only context
  support_agent: ['notes_view', 'tickets_view', 'tickets_create', 'tickets_manage', 'hosting_view'],
  // read-only
  viewer: ['vps_view', 'notes_view', 'tickets_view', 'hosting_view'],
});

export function isOrganizationRole(value: unknown): value is OrganizationRole {
  return typeof value === 'string' && (ORGANIZATION_ROLES as readonly string[]).includes(value);
}

export function permissionsOf(role: OrganizationRole): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function hasPermission(role: OrganizationRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Staff of the hosting business; reaches /api/admin/*. Not an organization role. */
export const PLATFORM_ADMIN_ROLE = 'admin' as const;
