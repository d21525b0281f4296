import { createHash } from 'node:crypto';

/** OpenSSH's fingerprint of a key blob (base64): `SHA256:` and the digest in base64 without padding. */
export function sshKeyFingerprint(blob: string): string {
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
