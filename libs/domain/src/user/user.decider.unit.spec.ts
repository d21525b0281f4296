import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import type { CommandMetadata } from '../shared/decider';
import { userDecider, type RegisterUser, type UserCommand } from './user.decider';
import type { ActiveOrganizationSelected, PlatformRoleGranted, UserRegistered } from './user.events';

const spec = DeciderSpecification.for(userDecider);
const USER = 'user-1';
const self = metadataFor(USER);
const staff = metadataFor('staff-1', 'admin');
const system = metadataFor('workers', 'system');

const register = (
  overrides: Partial<RegisterUser['data']> = {},
  metadata: CommandMetadata = self,
): RegisterUser => ({
  type: 'RegisterUser',
  data: {
    userId: USER,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    passwordHash: '$argon2id$v=19$hash',
    platformRole: 'customer',
    ...overrides,
  },
  metadata,
});
const registered: UserRegistered = {
  type: 'UserRegistered',
  data: {
    userId: USER,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    passwordHash: '$argon2id$v=19$hash',
    platformRole: 'customer',
  },
};
const grant = (platformRole: 'admin' | 'customer', metadata: CommandMetadata = staff): UserCommand => ({
  type: 'GrantPlatformRole',
  data: { platformRole },
  metadata,
});
const granted = (platformRole: 'admin' | 'customer'): PlatformRoleGranted => ({
  type: 'PlatformRoleGranted',
  data: { userId: USER, platformRole },
});
const select = (organizationId: string, isMember = true, metadata: CommandMetadata = self): UserCommand => ({
  type: 'SelectActiveOrganization',
  data: { organizationId, isMember },
  metadata,
});
const selected = (organizationId: string): ActiveOrganizationSelected => ({
  type: 'ActiveOrganizationSelected',
  data: { userId: USER, organizationId },
});

describe('user decider', () => {
  describe('when the user is not registered', () => {
    it('registers the user', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('trims the name and normalizes the email', () => {
      spec
        .given([])
        .when(register({ name: '  Ada Lovelace ', email: ' ADA@Example.com' }))
        .then([registered]);
    });

    it('accepts a name of exactly 100 characters', () => {
      const name = 'n'.repeat(100);
      spec
        .given([])
        .when(register({ name }))
        .then([{ ...registered, data: { ...registered.data, name } }]);
    });

    it.each([[''], ['   '], ['n'.repeat(101)]])('rejects the name %j', (name) => {
      spec.given([]).when(register({ name })).thenThrows('validation', 'invalid_name', { field: 'name' });
    });

    it('rejects a malformed email', () => {
      spec
        .given([])
        .when(register({ email: 'nope' }))
        .thenThrows('validation', 'invalid_email');
    });

    it('rejects an empty password hash', () => {
      spec
        .given([])
        .when(register({ passwordHash: '' }))
        .thenThrows('validation', 'invalid_password_hash');
    });

    it('rejects an unknown platform role', () => {
      spec
        .given([])
        .when(register({ platformRole: 'root' as 'admin' }))
        .thenThrows('validation', 'invalid_platform_role');
    });

    it('rejects a missing user id', () => {
      spec
        .given([])
        .when(register({ userId: '' }))
        .thenThrows('validation', 'invalid_user_id');
    });

    it('registers a platform admin when staff asks', () => {
      spec
        .given([])
        .when(register({ platformRole: 'admin' }, system))
        .then([{ ...registered, data: { ...registered.data, platformRole: 'admin' } }]);
    });

    it('refuses to let a non-staff actor register a platform admin', () => {
      spec
        .given([])
        .when(register({ platformRole: 'admin' }))
        .thenThrows('forbidden', 'platform_admin_required');
    });

    it('rejects granting a role as user_not_found', () => {
      spec.given([]).when(grant('admin')).thenThrows('not_found', 'user_not_found');
    });

    it('rejects selecting an organization as user_not_found', () => {
      spec.given([]).when(select('org-1')).thenThrows('not_found', 'user_not_found');
    });
  });

  describe('when the user is registered', () => {
    it('rejects a second registration as a conflict', () => {
      spec.given([registered]).when(register()).thenThrows('conflict', 'user_already_registered');
    });

    it('grants a platform role when staff asks', () => {
      spec
        .given([registered])
        .when(grant('admin'))
        .then([granted('admin')]);
      spec
        .given([registered])
        .when(grant('admin', system))
        .then([granted('admin')]);
    });

    it('grants nothing when the user already has the role', () => {
      spec.given([registered]).when(grant('customer')).then([]);
      spec
        .given([registered, granted('admin')])
        .when(grant('admin'))
        .then([]);
    });

    it('revokes admin by granting customer', () => {
      spec
        .given([registered, granted('admin')])
        .when(grant('customer'))
        .then([granted('customer')]);
    });

    it('refuses a grant from a non-staff actor', () => {
      spec.given([registered]).when(grant('admin', self)).thenThrows('forbidden', 'platform_admin_required');
    });

    it('rejects an unknown platform role in a grant', () => {
      spec
        .given([registered])
        .when(grant('root' as 'admin'))
        .thenThrows('validation', 'invalid_platform_role');
    });

    it('selects an organization the user is a member of', () => {
      spec
        .given([registered])
        .when(select('org-1'))
        .then([selected('org-1')]);
    });

    it('lets staff select on behalf of the user', () => {
      spec
        .given([registered])
        .when(select('org-1', true, staff))
        .then([selected('org-1')]);
    });

    it('selecting the active organization again records nothing', () => {
      spec
        .given([registered, selected('org-1')])
        .when(select('org-1'))
        .then([]);
    });

    it('switches to another organization', () => {
      spec
        .given([registered, selected('org-1')])
        .when(select('org-2'))
        .then([selected('org-2')]);
    });

    it('rejects an organization the user is not a member of as organization_not_found', () => {
      spec
        .given([registered])
        .when(select('org-9', false))
        .thenThrows('not_found', 'organization_not_found', { organizationId: 'org-9' });
    });

    it("hides the user from another customer's selection", () => {
      spec
        .given([registered])
        .when(select('org-1', true, metadataFor('user-2')))
        .thenThrows('not_found', 'user_not_found');
    });

    it('rejects an empty organization id', () => {
      spec.given([registered]).when(select('')).thenThrows('validation', 'invalid_organization_id');
    });
  });

  it('evolves into the registered state', () => {
    expect(stateAfter(userDecider, [registered, granted('admin'), selected('org-1')])).toEqual({
      status: 'registered',
      userId: USER,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      passwordHash: '$argon2id$v=19$hash',
      platformRole: 'admin',
      activeOrganizationId: 'org-1',
      emailVerification: { status: 'unverified', outstanding: [] },
      passwordResets: [],
      twoFactor: { status: 'disabled' },
      sessions: [],
      impersonations: [],
      knownDevices: [],
      mailOptOuts: [],
    });
  });
});
