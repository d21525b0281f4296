import {
  ORGANIZATION_ROLES,
  PERMISSIONS,
  PLATFORM_ADMIN_ROLE,
  ROLE_PERMISSIONS,
  hasPermission,
  isOrganizationRole,
  permissionsOf,
  type OrganizationRole,
  type Permission,
} from './permissions';

/** The table of shared/reference/roles.md, copied verbatim: Y = granted. */
const REFERENCE_TABLE = `
| vps_view | Y | Y | Y | Y | — | — | Y |
| vps_create | Y | Y | Y | Y | — | — | — |
| vps_delete | Y | Y | — | — | — | — | — |
| vps_manage | Y | Y | Y | Y | — | — | — |
| notes_view | Y | Y | Y | Y | Y | Y | Y |
| notes_manage | Y | Y | Y | — | — | — | — |
| ssh_keys_view | Y | Y | Y | Y | Y | — | — |
| ssh_keys_manage | Y | Y | — | Y | — | — | — |
| tickets_view | Y | Y | Y | — | Y | Y | Y |
| tickets_create | Y | Y | Y | — | Y | Y | — |
| tickets_manage | Y | Y | — | — | — | Y | — |
| billing_view | Y | Y | Y | — | Y | — | — |
| billing_manage | Y | — | — | — | — | — | — |
| egress_view | Y | Y | Y | — | Y | — | — |
| egress_manage | Y | — | — | — | — | — | — |
| members_manage | Y | — | — | — | — | — | — |
| settings_manage | Y | Y | — | — | — | — | — |
| hosting_view | Y | Y | Y | — | Y | Y | Y |
| hosting_manage | Y | Y | Y | — | Y | — | — |
`;
const TABLE_COLUMNS: OrganizationRole[] = [
  'owner',
  'admin',
  'member',
  'vps_manager',
  'hosting_manager',
  'support_agent',
  'viewer',
];

function referenceGrants(): Map<OrganizationRole, Set<string>> {
  const grants = new Map(TABLE_COLUMNS.map((role) => [role, new Set<string>()]));
  const rows = REFERENCE_TABLE.trim().split('\n');
  for (const row of rows) {
    const [permission, ...cells] = row
      .split('|')
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
    expect(cells).toHaveLength(TABLE_COLUMNS.length);
    cells.forEach((cell, index) => {
      if (cell === 'Y') grants.get(TABLE_COLUMNS[index])!.add(permission);
    });
  }
  return grants;
}

describe('permissions', () => {
  it('has nineteen distinct permissions and seven distinct roles', () => {
    expect(PERMISSIONS).toHaveLength(19);
    expect(new Set(PERMISSIONS).size).toBe(19);
    expect(ORGANIZATION_ROLES).toHaveLength(7);
    expect(new Set(ORGANIZATION_ROLES).size).toBe(7);
  });

  it.each<[OrganizationRole, number]>([
    ['owner', 19],
    ['admin', 16],
    ['member', 12],
    ['vps_manager', 6],
    ['hosting_manager', 8],
    ['support_agent', 5],
    ['viewer', 4],
  ])('%s has exactly %i permissions, without duplicates', (role, count) => {
    expect(permissionsOf(role)).toHaveLength(count);
    expect(new Set(permissionsOf(role)).size).toBe(count);
  });

  it('grants only known permissions', () => {
    for (const role of ORGANIZATION_ROLES) {
      for (const permission of permissionsOf(role)) expect(PERMISSIONS).toContain(permission);
    }
  });

  it('matches the reference table in shared/reference/roles.md cell by cell', () => {
    const grants = referenceGrants();
    expect([...grants.values()].reduce((n, set) => n + set.size, 0)).toBe(19 + 16 + 12 + 6 + 8 + 5 + 4);
    for (const role of ORGANIZATION_ROLES) {
      expect([...permissionsOf(role)].sort()).toEqual([...grants.get(role)!].sort());
      for (const permission of PERMISSIONS) {
        expect([role, permission, hasPermission(role, permission)]).toEqual([
          role,
          permission,
          grants.get(role)!.has(permission),
        ]);
      }
    }
  });

  it('admin is everything except billing_manage, egress_manage and members_manage', () => {
    const missing = PERMISSIONS.filter((p) => !hasPermission('admin', p));
    expect(missing.sort()).toEqual(['billing_manage', 'egress_manage', 'members_manage']);
  });

  it.each<[OrganizationRole, Permission, boolean]>([
    ['owner', 'members_manage', true],
    ['admin', 'settings_manage', true],
    ['admin', 'members_manage', false],
    ['member', 'vps_delete', false],
    ['member', 'hosting_manage', true],
    ['vps_manager', 'ssh_keys_manage', true],
    ['vps_manager', 'tickets_view', false],
    ['hosting_manager', 'vps_view', false],
    ['support_agent', 'tickets_manage', true],
    ['support_agent', 'billing_view', false],
    ['viewer', 'vps_view', true],
    ['viewer', 'tickets_create', false],
  ])('spot check: %s / %s -> %s', (role, permission, expected) => {
    expect(hasPermission(role, permission)).toBe(expected);
  });

  it('ROLE_PERMISSIONS is frozen', () => {
    expect(Object.isFrozen(ROLE_PERMISSIONS)).toBe(true);
  });

  it('isOrganizationRole accepts the seven roles only', () => {
    for (const role of ORGANIZATION_ROLES) expect(isOrganizationRole(role)).toBe(true);
    for (const value of ['Owner', 'superuser', '', 'toString', '__proto__', 1, null, undefined, {}]) {
      expect(isOrganizationRole(value)).toBe(false);
    }
  });

  it('the platform staff role is named admin', () => {
    expect(PLATFORM_ADMIN_ROLE).toBe('admin');
  });
});
