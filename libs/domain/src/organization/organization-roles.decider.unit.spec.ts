import { ROLE_PERMISSIONS } from '../permissions/permissions';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { organizationDecider, memberAccess, memberHasPermission } from './organization.decider';
import type { OrganizationEvent } from './organization.events';
import { MAX_CUSTOM_ROLES } from './organization.roles';
import {
  added,
  as,
  at,
  command,
  everyRole,
  IN_SEVEN_DAYS,
  ORG,
  OWNER,
  roleCreated,
  sha,
  staff,
} from './testing/organization-history';

const spec = DeciderSpecification.for(organizationDecider);
const LEAD_ROLE = '11111111-1111-4111-8111-111111111111';
const OPS_ROLE = '22222222-2222-4222-8222-222222222222';
const NEW_ROLE = '33333333-3333-4333-8333-333333333333';
const LEAD = 'user-lead';
/** Manages members, with the viewer's permissions and server operations. */
const LEAD_PERMISSIONS = [
  'vps_view',
  'vps_manage',
  'notes_view',
  'tickets_view',
  'members_manage',
  'hosting_view',
] as const;

const create = (roleId: string, name: string, permissions: string[], metadata = as(OWNER)) =>
  command('CreateCustomRole', { roleId, name, permissions }, metadata);
const update = (roleId: string, change: { name?: string; permissions?: string[] }, metadata = as(OWNER)) =>
  command('UpdateCustomRole', { roleId, ...change }, metadata);
const remove = (roleId: string, metadata = as(OWNER)) => command('DeleteCustomRole', { roleId }, metadata);
const changeRole = (userId: string, role: string, metadata = as(OWNER)) =>
  command('ChangeMemberRole', { userId, role }, metadata);
const removeMember = (userId: string, metadata = as(OWNER)) => command('RemoveMember', { userId }, metadata);

/** Every predefined role, plus a team lead holding the custom lead role. */
const withLead: OrganizationEvent[] = [
  ...everyRole,
  roleCreated(LEAD_ROLE, 'Team lead', [...LEAD_PERMISSIONS]),
  added(LEAD, LEAD_ROLE),
];

describe('organization decider: custom roles', () => {
  describe('when the organization does not exist', () => {
    it('rejects creating a role as organization_not_found', () => {
      spec
        .given([])
        .when(create(NEW_ROLE, 'Ops', ['vps_view']))
        .thenThrows('not_found', 'organization_not_found');
    });
  });

  describe('when the organization has no custom role', () => {
    it('creates one for the owner, permissions deduplicated in their one order', () => {
      spec
        .given(everyRole)
        .when(create(NEW_ROLE, '  Billing clerk ', ['billing_view', 'vps_view', 'billing_view']))
        .then([roleCreated(NEW_ROLE, 'Billing clerk', ['vps_view', 'billing_view'])]);
    });

    it.each(['owner', 'Vps Manager', 'support-agent', ' VIEWER '])(
      'refuses the name %j of a predefined role',
      (name) => {
        spec
          .given(everyRole)
          .when(create(NEW_ROLE, name, ['vps_view']))
          .thenThrows('conflict', 'role_name_taken', { field: 'name' });
      },
    );

    it.each([[''], ['   '], ['r'.repeat(51)]])('rejects the name %j', (name) => {
      spec
        .given(everyRole)
        .when(create(NEW_ROLE, name, ['vps_view']))
        .thenThrows('validation', 'invalid_role_name');
    });

    it.each([[[]], [['vps_view', 'root']], ['vps_view' as unknown as string[]]])(
      'rejects the permissions %j',
      (permissions) => {
        spec
          .given(everyRole)
          .when(create(NEW_ROLE, 'Ops', permissions))
          .thenThrows('validation', 'invalid_permissions', { field: 'permissions' });
      },
    );

    it('refuses a predefined role name as the id', () => {
      spec
        .given(everyRole)
        .when(create('viewer', 'Ops', ['vps_view']))
        .thenThrows('conflict', 'role_already_exists');
    });

    it.each(['user-admin', 'user-member', 'user-viewer'])('forbids %s (missing members_manage)', (userId) => {
      spec
        .given(everyRole)
        .when(create(NEW_ROLE, 'Ops', ['vps_view'], as(userId)))
        .thenThrows('forbidden', 'missing_permission', { permission: 'members_manage' });
    });

    it('hides the organization from non-members', () => {
      spec
        .given(everyRole)
        .when(create(NEW_ROLE, 'Ops', ['vps_view'], as('stranger')))
        .thenThrows('not_found', 'organization_not_found');
    });

    it.each([
      ['changing', update('viewer', { name: 'Readers' })],
      ['deleting', remove('owner')],
    ])('refuses %s a predefined role', (_what, cmd) => {
      spec.given(everyRole).when(cmd).thenThrows('conflict', 'built_in_role');
    });

    it.each([
      ['changing', update(NEW_ROLE, { name: 'Readers' })],
      ['deleting', remove(NEW_ROLE)],
    ])('rejects %s an unknown role as role_not_found', (_what, cmd) => {
      spec.given(everyRole).when(cmd).thenThrows('not_found', 'role_not_found');
    });

    it('rejects assigning an unknown role', () => {
      spec
        .given(everyRole)
        .when(changeRole('user-viewer', NEW_ROLE))
        .thenThrows('validation', 'invalid_role');
    });

    it(`stops at ${MAX_CUSTOM_ROLES} roles`, () => {
      const many = Array.from({ length: MAX_CUSTOM_ROLES }, (_, i) =>
        roleCreated(`role-${i}`, `Role ${i}`, ['vps_view']),
      );
      spec
        .given([...everyRole, ...many])
        .when(create(NEW_ROLE, 'One more', ['vps_view']))
        .thenThrows('conflict', 'too_many_roles');
    });
  });

  describe('when a team lead holds a custom role with members_manage', () => {
    it('the owner gave it to them: the change records what the role grants', () => {
      spec
        .given([...everyRole, roleCreated(LEAD_ROLE, 'Team lead', [...LEAD_PERMISSIONS])])
        .when(changeRole('user-member', LEAD_ROLE))
        .then([
          {
            type: 'MemberRoleChanged',
            data: {
              organizationId: ORG,
              userId: 'user-member',
              role: LEAD_ROLE,
              previousRole: 'member',
              permissions: [...LEAD_PERMISSIONS],
            },
          },
        ]);
    });

    it('their permissions are the custom role’s', () => {
      const state = stateAfter(organizationDecider, withLead);
      expect(memberAccess(state, LEAD)).toEqual({
        roleId: LEAD_ROLE,
        name: 'Team lead',
        builtIn: false,
        permissions: LEAD_PERMISSIONS,
      });
      expect(memberHasPermission(state, LEAD, 'members_manage')).toBe(true);
      expect(memberHasPermission(state, LEAD, 'billing_view')).toBe(false);
    });

    it('they create a role from permissions they hold', () => {
      spec
        .given(withLead)
        .when(create(NEW_ROLE, 'Operator', ['vps_view', 'vps_manage'], as(LEAD)))
        .then([roleCreated(NEW_ROLE, 'Operator', ['vps_view', 'vps_manage'])]);
    });

    it('they cannot create a role with a permission they lack', () => {
      spec
        .given(withLead)
        .when(create(NEW_ROLE, 'Accountant', ['vps_view', 'billing_view', 'billing_manage'], as(LEAD)))
        .thenThrows('forbidden', 'permission_not_held', { notHeld: ['billing_view', 'billing_manage'] });
    });

    it('they change roles only between members and roles within their own permissions', () => {
      spec
        .given(withLead)
        .when(changeRole('user-support', 'viewer', as(LEAD)))
        .thenThrows('forbidden', 'permission_not_held'); // the support agent holds tickets_manage, the lead does not
      spec
        .given(withLead)
        .when(changeRole('user-vps', 'viewer', as(LEAD)))
        .thenThrows('forbidden', 'permission_not_held'); // nor ssh_keys_manage
      spec
        .given([...withLead, added('user-new', 'viewer')])
        .when(changeRole('user-new', LEAD_ROLE, as(LEAD)))
        .then([
          {
            type: 'MemberRoleChanged',
            data: {
              organizationId: ORG,
              userId: 'user-new',
              role: LEAD_ROLE,
              previousRole: 'viewer',
              permissions: [...LEAD_PERMISSIONS],
            },
          },
        ]);
    });

    it.each(['admin', 'owner', 'member'])('they cannot assign %s (permissions they lack)', (role) => {
      spec
        .given([...withLead, added('user-new', 'viewer')])
        .when(changeRole('user-new', role, as(LEAD)))
        .thenThrows('forbidden', 'permission_not_held', { field: 'role' });
    });

    it('they cannot demote or remove the owner, who holds more than they do', () => {
      spec
        .given(withLead)
        .when(changeRole(OWNER, 'viewer', as(LEAD)))
        .thenThrows('forbidden', 'permission_not_held', { userId: OWNER });
      spec
        .given(withLead)
        .when(removeMember(OWNER, as(LEAD)))
        .thenThrows('forbidden', 'permission_not_held', { userId: OWNER });
    });

    it('they remove a viewer, whose permissions they all hold', () => {
      spec
        .given(withLead)
        .when(removeMember('user-viewer', as(LEAD)))
        .then([
          {
            type: 'MemberRemoved',
            data: { organizationId: ORG, userId: 'user-viewer', role: 'viewer', reason: 'removed' },
          },
        ]);
    });

    it('they leave, reported with their custom role', () => {
      spec
        .given(withLead)
        .when(removeMember(LEAD, as(LEAD)))
        .then([
          {
            type: 'MemberRemoved',
            data: { organizationId: ORG, userId: LEAD, role: LEAD_ROLE, reason: 'left' },
          },
        ]);
    });

    describe('UpdateCustomRole', () => {
      it('renames the role and changes its permissions, naming who holds it', () => {
        spec
          .given(withLead)
          .when(update(LEAD_ROLE, { name: 'Lead', permissions: ['vps_view', 'members_manage'] }))
          .then([
            {
              type: 'CustomRoleUpdated',
              data: {
                organizationId: ORG,
                roleId: LEAD_ROLE,
                name: 'Lead',
                permissions: ['vps_view', 'members_manage'],
                previousPermissions: [...LEAD_PERMISSIONS],
                holders: [LEAD],
              },
            },
          ]);
      });

      it('its holders have the new permissions at once', () => {
        const state = stateAfter(organizationDecider, [
          ...withLead,
          {
            type: 'CustomRoleUpdated',
            data: {
              organizationId: ORG,
              roleId: LEAD_ROLE,
              name: 'Team lead',
              permissions: ['vps_view'],
              previousPermissions: [...LEAD_PERMISSIONS],
              holders: [LEAD],
            },
          },
        ]);
        expect(memberHasPermission(state, LEAD, 'members_manage')).toBe(false);
        expect(memberHasPermission(state, LEAD, 'vps_view')).toBe(true);
      });

      it('keeps what is not given and records nothing when nothing changes', () => {
        spec.given(withLead).when(update(LEAD_ROLE, {})).then([]);
        spec
          .given(withLead)
          .when(update(LEAD_ROLE, { name: 'Team lead', permissions: [...LEAD_PERMISSIONS].reverse() }))
          .then([]);
      });

      it('lets the name change case only', () => {
        spec
          .given(withLead)
          .when(update(LEAD_ROLE, { name: 'TEAM LEAD' }))
          .then([
            {
              type: 'CustomRoleUpdated',
              data: {
                organizationId: ORG,
                roleId: LEAD_ROLE,
                name: 'TEAM LEAD',
                permissions: [...LEAD_PERMISSIONS],
                previousPermissions: [...LEAD_PERMISSIONS],
                holders: [LEAD],
              },
            },
          ]);
      });

      it("refuses another role's name", () => {
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['vps_view'])])
          .when(update(OPS_ROLE, { name: 'team-lead' }))
          .thenThrows('conflict', 'role_name_taken');
      });

      it('the team lead cannot give a role more than they hold, nor change one that holds more', () => {
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['vps_view'])])
          .when(update(OPS_ROLE, { permissions: ['vps_view', 'billing_manage'] }, as(LEAD)))
          .thenThrows('forbidden', 'permission_not_held', { notHeld: ['billing_manage'] });
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['vps_view', 'billing_view'])])
          .when(update(OPS_ROLE, { permissions: ['vps_view'] }, as(LEAD)))
          .thenThrows('forbidden', 'permission_not_held', { notHeld: ['billing_view'] });
      });

      it('forbids members without members_manage', () => {
        spec
          .given(withLead)
          .when(update(LEAD_ROLE, { name: 'Mine' }, as('user-admin')))
          .thenThrows('forbidden', 'missing_permission');
      });
    });

    describe('DeleteCustomRole', () => {
      const invitedAsOps: OrganizationEvent = {
        type: 'InvitationCreated',
        data: {
          organizationId: ORG,
          invitationId: 'inv-1',
          email: 'new@example.com',
          role: OPS_ROLE,
          roleName: 'Ops',
          invitedBy: OWNER,
          tokenHash: sha('t1'),
          sealedToken: 'sealed',
          expiresAt: IN_SEVEN_DAYS,
        },
      };

      it('refuses a role a member holds', () => {
        spec.given(withLead).when(remove(LEAD_ROLE)).thenThrows('conflict', 'role_in_use', { members: 1 });
      });

      it('refuses a role a pending invitation gives', () => {
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['vps_view']), invitedAsOps])
          .when(remove(OPS_ROLE))
          .thenThrows('conflict', 'role_in_use', { members: 0, invitations: 1 });
      });

      it('deletes a role only an expired invitation gave', () => {
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['vps_view']), invitedAsOps])
          .when(command('DeleteCustomRole', { roleId: OPS_ROLE }, at(OWNER, 7 * 86_400_000)))
          .then([
            { type: 'CustomRoleDeleted', data: { organizationId: ORG, roleId: OPS_ROLE, name: 'Ops' } },
          ]);
      });

      it('deletes an unused role; it can no longer be given', () => {
        const history = [...withLead, roleCreated(OPS_ROLE, 'Ops', ['vps_view'])];
        const deleted: OrganizationEvent = {
          type: 'CustomRoleDeleted',
          data: { organizationId: ORG, roleId: OPS_ROLE, name: 'Ops' },
        };
        spec.given(history).when(remove(OPS_ROLE)).then([deleted]);
        spec
          .given([...history, deleted])
          .when(changeRole('user-viewer', OPS_ROLE))
          .thenThrows('validation', 'invalid_role');
        spec
          .given([...history, deleted])
          .when(create(NEW_ROLE, 'Ops', ['vps_view']))
          .then([roleCreated(NEW_ROLE, 'Ops', ['vps_view'])]);
      });

      it('the team lead cannot delete a role holding more than they do', () => {
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['billing_view'])])
          .when(remove(OPS_ROLE, as(LEAD)))
          .thenThrows('forbidden', 'permission_not_held');
      });

      it('platform staff act with every permission', () => {
        spec
          .given([...withLead, roleCreated(OPS_ROLE, 'Ops', ['billing_view'])])
          .when(remove(OPS_ROLE, staff))
          .then([
            { type: 'CustomRoleDeleted', data: { organizationId: ORG, roleId: OPS_ROLE, name: 'Ops' } },
          ]);
      });
    });
  });

  it('the predefined roles keep their permissions', () => {
    const state = stateAfter(organizationDecider, everyRole);
    expect(memberAccess(state, 'user-viewer')).toEqual({
      roleId: 'viewer',
      name: 'viewer',
      builtIn: true,
      permissions: ROLE_PERMISSIONS.viewer,
    });
  });
});
