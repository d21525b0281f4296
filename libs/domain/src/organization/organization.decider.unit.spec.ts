import { ROLE_PERMISSIONS, type OrganizationRole } from '../permissions/permissions';
import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  isMember,
  memberHasPermission,
  memberRole,
  membersOf,
  organizationDecider,
  ownerCount,
  type OrganizationCommand,
} from './organization.decider';
import type {
  MemberAdded,
  MemberRemoved,
  MemberRoleChanged,
  OrganizationCreated,
  OrganizationEvent,
  OrganizationRenamed,
} from './organization.events';

const spec = DeciderSpecification.for(organizationDecider);
const ORG = 'org-1';
const OWNER = 'user-owner';
const as = (userId: string): CommandMetadata => metadataFor(userId);
const staff = metadataFor('staff-1', 'admin');
const system = metadataFor('billing-worker', 'system');

const created: OrganizationCreated = {
  type: 'OrganizationCreated',
  data: { organizationId: ORG, name: 'Acme', createdBy: OWNER },
};
const added = (userId: string, role: OrganizationRole): MemberAdded => ({
  type: 'MemberAdded',
  data: { organizationId: ORG, userId, role },
});
const roleChanged = (
  userId: string,
  role: OrganizationRole,
  previousRole: OrganizationRole,
): MemberRoleChanged => ({
  type: 'MemberRoleChanged',
  data: { organizationId: ORG, userId, role, previousRole, permissions: [...ROLE_PERMISSIONS[role]] },
});
const removed = (
  userId: string,
  role: OrganizationRole,
  reason: 'removed' | 'left' = 'removed',
): MemberRemoved => ({
  type: 'MemberRemoved',
  data: { organizationId: ORG, userId, role, reason },
});
const renamed = (name: string): OrganizationRenamed => ({
  type: 'OrganizationRenamed',
  data: { organizationId: ORG, name },
});

const create = (name = 'Acme', metadata = as(OWNER)): OrganizationCommand => ({
  type: 'CreateOrganization',
  data: { organizationId: ORG, name, ownerUserId: OWNER },
  metadata,
});
const rename = (name: string, metadata = as(OWNER)): OrganizationCommand => ({
  type: 'RenameOrganization',
  data: { name },
  metadata,
});
const changeRole = (userId: string, role: OrganizationRole, metadata = as(OWNER)): OrganizationCommand => ({
  type: 'ChangeMemberRole',
  data: { userId, role },
  metadata,
});
const removeMember = (userId: string, metadata = as(OWNER)): OrganizationCommand => ({
  type: 'RemoveMember',
  data: { userId },
  metadata,
});

/** An organization with one member of every role. */
const everyRole: OrganizationEvent[] = [
  created,
  added(OWNER, 'owner'),
  added('user-admin', 'admin'),
  added('user-member', 'member'),
  added('user-vps', 'vps_manager'),
  added('user-hosting', 'hosting_manager'),
  added('user-support', 'support_agent'),
  added('user-viewer', 'viewer'),
];
const NON_OWNERS = ['user-admin', 'user-member', 'user-vps', 'user-hosting', 'user-support', 'user-viewer'];

describe('organization decider', () => {
  describe('when the organization does not exist', () => {
    it('creates it with the owner as first member', () => {
      spec
        .given([])
        .when(create())
        .then([created, added(OWNER, 'owner')]);
    });

    it('records who created it (staff creating for a customer)', () => {
      spec
        .given([])
        .when(create('Acme', staff))
        .then([{ ...created, data: { ...created.data, createdBy: 'staff-1' } }, added(OWNER, 'owner')]);
    });

    it('trims the name', () => {
      spec
        .given([])
        .when(create('  Acme  '))
        .then([created, added(OWNER, 'owner')]);
    });

    it('accepts a 100-character name', () => {
      const name = 'x'.repeat(100);
      spec
        .given([])
        .when(create(name))
        .then([{ ...created, data: { ...created.data, name } }, added(OWNER, 'owner')]);
    });

    it.each([[''], ['   '], ['x'.repeat(101)]])('rejects the name %j', (name) => {
      spec.given([]).when(create(name)).thenThrows('validation', 'invalid_name');
    });

    it('rejects a missing owner', () => {
      spec
        .given([])
        .when({
          type: 'CreateOrganization',
          data: { organizationId: ORG, name: 'Acme', ownerUserId: '' },
          metadata: as(OWNER),
        })
        .thenThrows('validation', 'invalid_owner_user_id');
    });

    it('rejects a missing organization id', () => {
      spec
        .given([])
        .when({
          type: 'CreateOrganization',
          data: { organizationId: '', name: 'Acme', ownerUserId: OWNER },
          metadata: as(OWNER),
        })
        .thenThrows('validation', 'invalid_organization_id');
    });

    it.each<[string, OrganizationCommand]>([
      ['RenameOrganization', rename('New')],
      ['ChangeMemberRole', changeRole('user-2', 'viewer')],
      ['RemoveMember', removeMember('user-2')],
      ['RemoveMember (staff)', removeMember('user-2', staff)],
    ])('rejects %s as organization_not_found', (_name, command) => {
      spec.given([]).when(command).thenThrows('not_found', 'organization_not_found');
    });
  });

  describe('when the organization exists', () => {
    const base = [created, added(OWNER, 'owner')];

    it('rejects creating it again', () => {
      spec.given(base).when(create()).thenThrows('conflict', 'organization_already_exists');
    });

    describe('RenameOrganization', () => {
      it('renames it for the owner', () => {
        spec
          .given(base)
          .when(rename('Acme Hosting'))
          .then([renamed('Acme Hosting')]);
      });

      it('renames it for an admin (settings_manage)', () => {
        spec
          .given(everyRole)
          .when(rename('Acme 2', as('user-admin')))
          .then([renamed('Acme 2')]);
      });

      it('renames it for platform staff who are not members', () => {
        spec
          .given(base)
          .when(rename('Acme 2', staff))
          .then([renamed('Acme 2')]);
        spec
          .given(base)
          .when(rename('Acme 2', system))
          .then([renamed('Acme 2')]);
      });

      it('records nothing when the trimmed name is unchanged', () => {
        spec.given(base).when(rename(' Acme ')).then([]);
      });

      it.each(['user-member', 'user-vps', 'user-hosting', 'user-support', 'user-viewer'])(
        'forbids %s (missing settings_manage)',
        (userId) => {
          spec
            .given(everyRole)
            .when(rename('Hijacked', as(userId)))
            .thenThrows('forbidden', 'missing_permission', { permission: 'settings_manage' });
        },
      );

      it('hides the organization from non-members', () => {
        spec
          .given(base)
          .when(rename('Hijacked', as('stranger')))
          .thenThrows('not_found', 'organization_not_found');
      });

      it('hides it from a customer whose role text is "owner" but who is not a member', () => {
        spec
          .given(base)
          .when(rename('Hijacked', metadataFor('stranger', 'owner')))
          .thenThrows('not_found', 'organization_not_found');
      });

      it.each([[''], ['  '], ['y'.repeat(101)]])('rejects the name %j', (name) => {
        spec.given(base).when(rename(name)).thenThrows('validation', 'invalid_name');
      });
    });

    describe('ChangeMemberRole', () => {
      it("changes a member's role, recording the previous one", () => {
        spec
          .given(everyRole)
          .when(changeRole('user-viewer', 'admin'))
          .then([roleChanged('user-viewer', 'admin', 'viewer')]);
      });

      it('promotes a member to owner', () => {
        spec
          .given(everyRole)
          .when(changeRole('user-admin', 'owner'))
          .then([roleChanged('user-admin', 'owner', 'admin')]);
      });

      it('demotes an owner when another owner remains', () => {
        spec
          .given([...base, added('user-2', 'owner')])
          .when(changeRole(OWNER, 'member'))
          .then([roleChanged(OWNER, 'member', 'owner')]);
      });

      it('records nothing for the same role', () => {
        spec.given(everyRole).when(changeRole('user-viewer', 'viewer')).then([]);
        spec.given(base).when(changeRole(OWNER, 'owner')).then([]);
      });

      it('refuses to demote the last owner', () => {
        spec.given(base).when(changeRole(OWNER, 'admin')).thenThrows('conflict', 'last_owner');
      });

      it('refuses to demote the last owner even for platform staff', () => {
        spec
          .given(base)
          .when(changeRole(OWNER, 'viewer', staff))
          .thenThrows('conflict', 'last_owner');
      });

      it('rejects an unknown member as member_not_found', () => {
        spec
          .given(base)
          .when(changeRole('user-9', 'viewer'))
          .thenThrows('not_found', 'member_not_found', { userId: 'user-9' });
      });

      it('rejects an unknown role', () => {
        spec
          .given(everyRole)
          .when(changeRole('user-viewer', 'god' as OrganizationRole))
          .thenThrows('validation', 'invalid_role');
      });

      it.each(NON_OWNERS)('forbids %s (missing members_manage)', (userId) => {
        spec
          .given(everyRole)
          .when(changeRole(userId, 'owner', as(userId)))
          .thenThrows('forbidden', 'missing_permission', { permission: 'members_manage' });
      });

      it('hides the organization from non-members', () => {
        spec
          .given(base)
          .when(changeRole(OWNER, 'viewer', as('stranger')))
          .thenThrows('not_found', 'organization_not_found');
      });
    });

    describe('RemoveMember', () => {
      it('removes a member for the owner', () => {
        spec
          .given(everyRole)
          .when(removeMember('user-member'))
          .then([removed('user-member', 'member')]);
      });

      it('removes a member for platform staff', () => {
        spec
          .given(everyRole)
          .when(removeMember('user-member', staff))
          .then([removed('user-member', 'member')]);
      });

      it.each(NON_OWNERS)('lets %s leave without members_manage', (userId) => {
        const role = memberRole(stateAfter(organizationDecider, everyRole), userId) as OrganizationRole;
        spec
          .given(everyRole)
          .when(removeMember(userId, as(userId)))
          .then([removed(userId, role, 'left')]);
      });

      it('lets an owner leave when another owner remains', () => {
        spec
          .given([...base, added('user-2', 'owner')])
          .when(removeMember(OWNER))
          .then([removed(OWNER, 'owner', 'left')]);
      });

      it('removes another owner when one remains', () => {
        spec
          .given([...base, added('user-2', 'owner')])
          .when(removeMember('user-2'))
          .then([removed('user-2', 'owner')]);
      });

      it('refuses to let the last owner leave', () => {
        spec.given(everyRole).when(removeMember(OWNER)).thenThrows('conflict', 'last_owner');
      });

      it('refuses to remove the last owner, even for platform staff', () => {
        spec.given(everyRole).when(removeMember(OWNER, staff)).thenThrows('conflict', 'last_owner');
      });

      it('rejects an unknown member as member_not_found', () => {
        spec.given(everyRole).when(removeMember('user-9')).thenThrows('not_found', 'member_not_found');
      });

      it('rejects a removed member as member_not_found', () => {
        spec
          .given([...everyRole, removed('user-member', 'member')])
          .when(removeMember('user-member'))
          .thenThrows('not_found', 'member_not_found');
      });

      it.each(NON_OWNERS)('forbids %s to remove someone else', (userId) => {
        const target = userId === 'user-viewer' ? 'user-member' : 'user-viewer';
        spec
          .given(everyRole)
          .when(removeMember(target, as(userId)))
          .thenThrows('forbidden', 'missing_permission', { permission: 'members_manage' });
      });

      it('hides the organization from non-members, even when they name themselves', () => {
        spec
          .given(base)
          .when(removeMember('stranger', as('stranger')))
          .thenThrows('not_found', 'organization_not_found');
        spec
          .given(base)
          .when(removeMember(OWNER, as('stranger')))
          .thenThrows('not_found', 'organization_not_found');
      });

      it('a removed member is a stranger afterwards', () => {
        spec
          .given([...everyRole, removed('user-admin', 'admin')])
          .when(rename('Mine now', as('user-admin')))
          .thenThrows('not_found', 'organization_not_found');
      });
    });
  });

  describe('state helpers', () => {
    const state = stateAfter(organizationDecider, [
      ...everyRole,
      roleChanged('user-viewer', 'admin', 'viewer'),
      removed('user-member', 'member'),
      renamed('Acme 2'),
    ]);

    it('memberRole and isMember follow the events', () => {
      expect(memberRole(state, 'user-viewer')).toBe('admin');
      expect(memberRole(state, 'user-member')).toBeUndefined();
      expect(isMember(state, OWNER)).toBe(true);
      expect(isMember(state, 'user-member')).toBe(false);
      expect(isMember(organizationDecider.initialState(), OWNER)).toBe(false);
    });

    it('memberHasPermission', () => {
      expect(memberHasPermission(state, 'user-viewer', 'settings_manage')).toBe(true);
      expect(memberHasPermission(state, 'user-support', 'settings_manage')).toBe(false);
      expect(memberHasPermission(state, 'stranger', 'vps_view')).toBe(false);
    });

    it('ownerCount and membersOf', () => {
      expect(ownerCount(state)).toBe(1);
      expect(ownerCount(organizationDecider.initialState())).toBe(0);
      expect(membersOf(state)).toHaveLength(6);
      expect(membersOf(state)).toContainEqual({ userId: 'user-viewer', role: 'admin' });
    });

    it('evolve never mutates the previous state', () => {
      const before = stateAfter(organizationDecider, everyRole);
      const after = organizationDecider.evolve(before, removed('user-admin', 'admin'));
      expect(isMember(before, 'user-admin')).toBe(true);
      expect(isMember(after, 'user-admin')).toBe(false);
      expect(after.status === 'active' && after.name).toBe('Acme');
    });
  });
});
