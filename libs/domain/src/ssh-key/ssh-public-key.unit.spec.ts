import { DomainError } from '../shared/decider';
import { MAX_SSH_PUBLIC_KEY_LENGTH, parseSshPublicKey } from './ssh-public-key';
import { SAMPLE_SSH_KEYS } from './testing/ssh-key-samples';

function refusal(input: unknown): DomainError {
  try {
    parseSshPublicKey(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`accepted ${String(input)}`);
}

/** The key with its blob's bytes changed by `change` (re-encoded as base64). */
function withBlob(publicKey: string, change: (blob: Buffer) => Buffer): string {
  const [type, data] = publicKey.split(' ');
  return `${type} ${change(Buffer.from(data, 'base64')).toString('base64')}`;
}

describe('parseSshPublicKey', () => {
  it.each([
    ['ed25519', 'ssh-ed25519', 256],
    ['ecdsa256', 'ecdsa-sha2-nistp256', 256],
    ['ecdsa384', 'ecdsa-sha2-nistp384', 384],
    ['ecdsa521', 'ecdsa-sha2-nistp521', 521],
    ['rsa1024', 'ssh-rsa', 1024],
    ['rsa2048', 'ssh-rsa', 2048],
    ['rsa3072', 'ssh-rsa', 3072],
  ] as const)('reads a %s key: its type and size from the wire format', (sample, algorithm, bits) => {
    const { publicKey } = SAMPLE_SSH_KEYS[sample];
    const key = parseSshPublicKey(publicKey);
    expect(key).toMatchObject({ algorithm, bits, blob: publicKey.split(' ')[1] });
    expect(key.comment).toBe(publicKey.split(' ')[2]);
    expect(key.text).toBe(publicKey);
  });

  it('trims, keeps a comment with spaces, and writes the line without one when there is none', () => {
    const [type, data] = SAMPLE_SSH_KEYS.ed25519.publicKey.split(' ');
    expect(parseSshPublicKey(`  ${type}\t${data}   Ada's  laptop \n`)).toMatchObject({
      comment: "Ada's laptop",
      text: `${type} ${data} Ada's laptop`,
    });
    expect(parseSshPublicKey(`${type} ${data}`)).toMatchObject({ comment: null, text: `${type} ${data}` });
  });

  it('refuses key types other than ed25519, ECDSA and RSA (DSA, security keys, certificates)', () => {
    expect(refusal(SAMPLE_SSH_KEYS.dsa.publicKey).reason).toBe('unsupported_key_type');
    expect(refusal('sk-ssh-ed25519@openssh.com AAAA').reason).toBe('unsupported_key_type');
    expect(refusal('ssh-ed25519-cert-v01@openssh.com AAAA').reason).toBe('unsupported_key_type');
  });

  it.each([
    ['not a string', 42],
    ['empty', '   '],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['no data', 'ssh-ed25519'],
    ['two keys', `${SAMPLE_SSH_KEYS.ed25519.publicKey}\n${SAMPLE_SSH_KEYS.ecdsa256.publicKey}`],
    ['bad base64', 'ssh-ed25519 AAAA$$$$'],
    [
      'base64 with a broken length',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJCB+bQQo8irX8fSVqyeIIhL8roXbNGuftdFzGtyq1G',
    ],
    ['too long', `ssh-rsa ${'A'.repeat(MAX_SSH_PUBLIC_KEY_LENGTH)}`],
    ['a control character in the comment', `${SAMPLE_SSH_KEYS.ed25519.publicKey}\u0007`],
  ])('refuses %s as invalid_public_key', (_what, input) => {
    const error = refusal(input);
    expect(error.code).toBe('validation');
    expect(error.reason).toBe('invalid_public_key');
    expect(error.details).toEqual({ field: 'publicKey' });
  });

  it('checks the blob: its type must match the line, every field must be whole, nothing may follow', () => {
    const ed = SAMPLE_SSH_KEYS.ed25519.publicKey;
    const ecdsa = SAMPLE_SSH_KEYS.ecdsa256.publicKey;
    // An ECDSA blob written as ed25519.
    expect(refusal(`ssh-ed25519 ${ecdsa.split(' ')[1]}`).message).toMatch(/not an ssh-ed25519 key/);
    expect(refusal(withBlob(ed, (blob) => blob.subarray(0, blob.length - 1))).message).toMatch(/truncated/);
    expect(refusal(withBlob(ed, (blob) => Buffer.concat([blob, Buffer.from([0])]))).message).toMatch(
      /trailing/,
    );
    // A P-256 blob claiming P-384.
    expect(refusal(`ecdsa-sha2-nistp384 ${ecdsa.split(' ')[1]}`).message).toMatch(
      /not an ecdsa-sha2-nistp384 key/,
    );
    // A compressed or wrong-sized point.
    expect(
      refusal(
        withBlob(ecdsa, (blob) => {
          const copy = Buffer.from(blob);
          copy[copy.length - 65] = 0x02;
          return copy;
        }),
      ).message,
    ).toMatch(/point/);
  });
});
