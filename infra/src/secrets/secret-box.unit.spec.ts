import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(SecretBox.generateKey());

  test('round-trips and never repeats a ciphertext', () => {
    const a = box.encrypt('hunter2-root-password', 'vps-1');
    const b = box.encrypt('hunter2-root-password', 'vps-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(box.decrypt(a, 'vps-1')).toBe('hunter2-root-password');
  });

  test('refuses tampered data, another key, or other associated data', () => {
    const sealed = box.encrypt('secret', 'vps-1');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() =>
      box.decrypt([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), 'vps-1'),
    ).toThrow();
    expect(() => new SecretBox(SecretBox.generateKey()).decrypt(sealed, 'vps-1')).toThrow();
    expect(() => box.decrypt(sealed, 'vps-2')).toThrow();
    expect(() => box.decrypt('garbage', 'vps-1')).toThrow('not a v1 ciphertext');
  });

  test('rejects keys of the wrong size', () => {
    expect(() => new SecretBox(Buffer.alloc(16).toString('base64'))).toThrow('32 bytes');
  });
});
