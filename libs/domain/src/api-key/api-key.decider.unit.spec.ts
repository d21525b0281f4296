import { PERMISSIONS, permissionsOf, type Permission } from '../permissions/permissions';
import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor, NOW } from '../shared/testing/metadata';
import {
  apiKeyDecider,
  apiKeyStatusAt,
  type ApiKeyState,
  type CreateApiKey,
  type RevokeApiKey,
} from './api-key.decider';
import type { ApiKeyCreated, ApiKeyRevoked } from './api-key.events';

const spec = DeciderSpecification.for(apiKeyDecider);
const OWNER = 'user-1';
const owner = metadataFor(OWNER);
const other = metadataFor('user-2');
const staff = metadataFor('staff-1', 'admin');
const KEY = 'key-1';
const ORG = 'org-1';
const HASH = 'a'.repeat(64);
const IN_A_DAY = '2026-01-02T00:00:00.000Z';
const memberPermissions = permissionsOf('member');

const create = (
  data: Partial<CreateApiKey['data']> = {},
  metadata: CommandMetadata = owner,
): CreateApiKey => ({
  type: 'CreateApiKey',
  data: {
    keyId: KEY,
    organizationId: ORG,
    name: ' deploy bot ',
    prefix: '0123456789ab',
    secretHash: HASH,
    permissions: ['vps_view', 'vps_create'],
    expiresAt: null,
    allowedIps: [],
    ownerPermissions: memberPermissions,
    ...data,
  },
  metadata,
});
const revoke = (metadata: CommandMetadata = owner): RevokeApiKey => ({
  type: 'RevokeApiKey',
  data: {},
  metadata,
});

const created = (data: Partial<ApiKeyCreated['data']> = {}): ApiKeyCreated => ({
  type: 'ApiKeyCreated',
  data: {
    keyId: KEY,
    userId: OWNER,
    organizationId: ORG,
    name: 'deploy bot',
    prefix: '0123456789ab',
    secretHash: HASH,
    permissions: ['vps_view', 'vps_create'],
    expiresAt: null,
    allowedIps: [],
    createdAt: NOW,
    ...data,
  },
});
const revoked: ApiKeyRevoked = {
  type: 'ApiKeyRevoked',
  data: { keyId: KEY, userId: OWNER, organizationId: ORG, revokedAt: NOW },
};

describe('API key decider', () => {
  describe('no key yet', () => {
    it('creates the key for its owner, with the permissions in their one order', () => {
      const state = spec
        .given([])
        .when(create({ permissions: ['vps_create', 'vps_view', 'vps_create'] }))
        .then([created()]);
      expect(state).toMatchObject({
        status: 'active',
        userId: OWNER,
        permissions: ['vps_view', 'vps_create'],
      });
    });

    it('keeps an expiry and address ranges, normalised', () => {
      spec
        .given([])
        .when(
          create({
            expiresAt: '2026-01-02T00:00:00Z',
            allowedIps: [' 203.0.113.0/24 ', '2001:db8::/32', '198.51.100.7', '203.0.113.0/24'],
          }),
        )
        .then([
          created({ expiresAt: IN_A_DAY, allowedIps: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'] }),
        ]);
    });

    it('refuses a permission its owner does not hold in the organization (403)', () => {
      spec
        .given([])
        .when(create({ permissions: ['vps_view', 'billing_manage', 'members_manage'] }))
        .thenThrows('forbidden', 'permission_not_held', { notHeld: ['billing_manage', 'members_manage'] });
      spec
        .given([])
        .when(create({ permissions: ['vps_view'], ownerPermissions: [] }))
        .thenThrows('forbidden', 'permission_not_held');
    });

    it('an owner may grant every permission', () => {
      spec
        .given([])
        .when(create({ permissions: [...PERMISSIONS], ownerPermissions: permissionsOf('owner') }))
        .then([created({ permissions: [...PERMISSIONS] as Permission[] })]);
    });

    it.each([
      [{ permissions: [] }, 'invalid_permissions'],
      [{ permissions: ['vps_view', 'root'] }, 'invalid_permissions'],
      [{ name: '   ' }, 'invalid_name'],
      [{ name: 'x'.repeat(101) }, 'invalid_name'],
      [{ prefix: 'ABC' }, 'invalid_prefix'],
      [{ secretHash: 'plain-secret' }, 'invalid_secret_hash'],
      [{ expiresAt: 'tomorrow' }, 'invalid_expires_at'],
      [{ expiresAt: NOW }, 'invalid_expires_at'],
      [{ allowedIps: ['10.0.0.0/33'] }, 'invalid_allowed_ips'],
      [{ allowedIps: ['example.com'] }, 'invalid_allowed_ips'],
      [{ allowedIps: Array.from({ length: 21 }, (_, i) => `10.0.0.${i}`) }, 'invalid_allowed_ips'],
    ] as Array<[Partial<CreateApiKey['data']>, string]>)('refuses %j (%s)', (data, reason) => {
      spec.given([]).when(create(data)).thenThrows('validation', reason);
    });

    it('has nothing to revoke', () => {
      spec.given([]).when(revoke()).thenThrows('not_found', 'api_key_not_found');
    });
  });

  describe('active', () => {
    it('is revoked by its owner', () => {
      const state = spec.given([created()]).when(revoke()).then([revoked]);
      expect(state.status).toBe('revoked');
    });

    it('is not revoked by anyone else, staff included: the key is not theirs to see', () => {
      spec.given([created()]).when(revoke(other)).thenThrows('not_found', 'api_key_not_found');
      spec.given([created()]).when(revoke(staff)).thenThrows('not_found', 'api_key_not_found');
    });

    it('cannot be created again', () => {
      spec.given([created()]).when(create()).thenThrows('conflict', 'api_key_exists');
    });
  });

  describe('revoked', () => {
    it('records nothing when revoked again', () => {
      spec.given([created(), revoked]).when(revoke()).then([]);
    });

    it('still hides itself from others', () => {
      spec.given([created(), revoked]).when(revoke(other)).thenThrows('not_found', 'api_key_not_found');
    });
  });

  describe('apiKeyStatusAt', () => {
    const fold = (...events: Array<ApiKeyCreated | ApiKeyRevoked>): ApiKeyState =>
      events.reduce(apiKeyDecider.evolve, apiKeyDecider.initialState());

    it('tells a usable key from an unknown, revoked or expired one', () => {
      expect(apiKeyStatusAt(fold(), NOW)).toBe('unknown');
      expect(apiKeyStatusAt(fold(created()), NOW)).toBe('usable');
      expect(apiKeyStatusAt(fold(created(), revoked), NOW)).toBe('revoked');
      expect(apiKeyStatusAt(fold(created({ expiresAt: IN_A_DAY })), NOW)).toBe('usable');
      expect(apiKeyStatusAt(fold(created({ expiresAt: IN_A_DAY })), IN_A_DAY)).toBe('expired');
    });
  });
});
