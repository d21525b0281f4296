import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { apiKeysProjection } from './api-keys.projection';

const created = recorded('ApiKeyCreated', {
  keyId: 'k1',
  userId: 'u1',
  organizationId: 'o1',
  name: 'deploy bot',
  prefix: '0123456789ab',
  secretHash: 'a'.repeat(64),
  permissions: ['vps_view'],
  expiresAt: '2026-02-01T00:00:00.000Z',
  allowedIps: ['203.0.113.0/24'],
  createdAt: '2026-01-01T00:00:00.000Z',
});
const revoked = (revokedAt: string) =>
  recorded('ApiKeyRevoked', { keyId: 'k1', userId: 'u1', organizationId: 'o1', revokedAt });

describe('API keys projection', () => {
  it('lists a key without its secret hash', () => {
    const rows = foldProjection(apiKeysProjection, [created]);
    expect(rows.get('k1')).toEqual({
      id: 'k1',
      userId: 'u1',
      organizationId: 'o1',
      name: 'deploy bot',
      prefix: '0123456789ab',
      permissions: ['vps_view'],
      expiresAt: new Date('2026-02-01T00:00:00.000Z'),
      allowedIps: ['203.0.113.0/24'],
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      revokedAt: null,
    });
  });

  it('keeps a revoked key, marked with its first revocation', () => {
    const rows = foldProjection(apiKeysProjection, [
      created,
      revoked('2026-01-03T00:00:00.000Z'),
      revoked('2026-01-04T00:00:00.000Z'),
    ]);
    expect(rows.get('k1')?.revokedAt).toEqual(new Date('2026-01-03T00:00:00.000Z'));
  });

  it('ignores a revocation of a key it never saw', () => {
    expect(foldProjection(apiKeysProjection, [revoked('2026-01-03T00:00:00.000Z')]).size).toBe(0);
  });
});
