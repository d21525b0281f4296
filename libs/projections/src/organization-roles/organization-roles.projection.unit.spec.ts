import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { organizationRolesProjection } from './organization-roles.projection';

describe('organization roles projection', () => {
  const createdRole = recorded(
    'CustomRoleCreated',
    { organizationId: 'o1', roleId: 'r1', name: 'Ops', permissions: ['vps_view', 'vps_manage'] },
    { occurredAt: '2026-04-01T10:00:00.000Z' },
  );

  it('follows a custom role through its changes', () => {
    const rows = foldProjection(organizationRolesProjection, [
      createdRole,
      recorded(
        'CustomRoleUpdated',
        {
          organizationId: 'o1',
          roleId: 'r1',
          name: 'Operators',
          permissions: ['vps_view'],
          previousPermissions: ['vps_view', 'vps_manage'],
          holders: ['u2'],
        },
        { occurredAt: '2026-04-02T10:00:00.000Z' },
      ),
    ]);
    expect([...rows.values()]).toEqual([
      {
        organizationId: 'o1',
        roleId: 'r1',
        name: 'Operators',
        permissions: ['vps_view'],
        createdAt: new Date('2026-04-01T10:00:00.000Z'),
        updatedAt: new Date('2026-04-02T10:00:00.000Z'),
      },
    ]);
  });

  it('deletes the row with the role', () => {
    const rows = foldProjection(organizationRolesProjection, [
      createdRole,
      recorded('CustomRoleDeleted', { organizationId: 'o1', roleId: 'r1', name: 'Ops' }),
    ]);
    expect(rows.size).toBe(0);
  });
});
