import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { sshKeysProjection } from './ssh-keys.projection';

const added = (keyId: string, occurredAt: string) =>
  recorded(
    'SshKeyAdded',
    {
      organizationId: 'o1',
      keyId,
      name: `key ${keyId}`,
      algorithm: 'ssh-ed25519',
      bits: 256,
      fingerprint: `SHA256:${keyId}`,
      publicKey: `ssh-ed25519 AAAA${keyId}`,
    },
    { occurredAt, actorUserId: 'user-7' },
  );

describe('ssh-keys projection', () => {
  it('lists added keys with who added them and when; a deleted key leaves the list', () => {
    const rows = foldProjection(sshKeysProjection, [
      added('k1', '2026-01-01T00:00:00.000Z'),
      added('k2', '2026-01-01T00:01:00.000Z'),
      recorded('SshKeyDeleted', {
        organizationId: 'o1',
        keyId: 'k1',
        name: 'key k1',
        fingerprint: 'SHA256:k1',
      }),
    ]);
    expect([...rows.keys()]).toEqual(['k2']);
    expect(rows.get('k2')).toEqual({
      keyId: 'k2',
      organizationId: 'o1',
      name: 'key k2',
      algorithm: 'ssh-ed25519',
      bits: 256,
      fingerprint: 'SHA256:k2',
      publicKey: 'ssh-ed25519 AAAAk2',
      addedBy: 'user-7',
      createdAt: new Date('2026-01-01T00:01:00.000Z'),
    });
  });
});
