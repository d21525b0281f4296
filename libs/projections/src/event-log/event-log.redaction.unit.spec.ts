import { REDACTED, redact } from './event-log.redaction';

describe('redact', () => {
  it('replaces password hashes, secrets, tokens and ciphertexts at any depth, arrays included', () => {
    const input = {
      userId: 'u1',
      passwordHash: '$argon2id$v=19$m=65536',
      nested: { encryptedRootPassword: 'v1:abc', apiToken: 't', clientSecret: 's', label: 'web-1' },
      list: [{ password: 'p' }, { name: 'n' }],
      PASSWORD: 'x',
    };
    expect(redact(input)).toEqual({
      userId: 'u1',
      passwordHash: REDACTED,
      nested: { encryptedRootPassword: REDACTED, apiToken: REDACTED, clientSecret: REDACTED, label: 'web-1' },
      list: [{ password: REDACTED }, { name: 'n' }],
      PASSWORD: REDACTED,
    });
  });

  it('redacts whole values under a sensitive key, and leaves the input untouched', () => {
    const input = { secrets: { a: 1 }, sshKeyIds: ['k1'], idempotencyKey: 'k' };
    expect(redact(input)).toEqual({ secrets: REDACTED, sshKeyIds: ['k1'], idempotencyKey: 'k' });
    expect(input.secrets).toEqual({ a: 1 });
  });

  it("redacts the account events' tokens, TOTP secret and recovery codes", () => {
    const input = {
      tokenHash: 'h',
      sealedToken: 'v1.x',
      sealedSecret: 'v1.y',
      recoveryCodeHashes: ['a'],
      index: 2,
    };
    expect(redact(input)).toEqual({
      tokenHash: REDACTED,
      sealedToken: REDACTED,
      sealedSecret: REDACTED,
      recoveryCodeHashes: REDACTED,
      index: 2,
    });
  });

  it('passes scalars and null through', () => {
    expect(redact(null)).toBeNull();
    expect(redact('password')).toBe('password');
    expect(redact(3)).toBe(3);
  });
});
