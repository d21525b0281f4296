import { parseSshPublicKey } from '@stratus/domain';
import { SAMPLE_SSH_KEYS } from '@stratus/domain/ssh-key/testing/ssh-key-samples';
import { sshKeyFingerprint } from './ssh-key-fingerprint';

describe('sshKeyFingerprint', () => {
  it.each(Object.entries(SAMPLE_SSH_KEYS))('is what ssh-keygen -l prints for the %s key', (_name, sample) => {
    const [, blob] = sample.publicKey.split(' ');
    expect(sshKeyFingerprint(blob)).toBe(sample.fingerprint);
  });

  it('is the same whatever the comment (the blob is the key)', () => {
    const key = parseSshPublicKey(
      `${SAMPLE_SSH_KEYS.ed25519.publicKey.split(' ').slice(0, 2).join(' ')} other`,
    );
    expect(sshKeyFingerprint(key.blob)).toBe(SAMPLE_SSH_KEYS.ed25519.fingerprint);
  });
});
