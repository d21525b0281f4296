import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (server root passwords). Ciphertext format: "v1.<iv>.<tag>.<data>",
 * base64url parts. The key (SECRETS_ENCRYPTION_KEY) is 32 bytes, base64. Plaintext only ever lives in memory.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('SecretBox: the key must be 32 bytes (base64)');
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** Throws when the ciphertext was tampered with, encrypted under another key, or bound to other data. */
  decrypt(ciphertext: string, associatedData = ''): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('SecretBox: not a v1 ciphertext');
    const [iv, tag, data] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }
}
