import { DomainError } from '../shared/decider';

/** The key types Stratus accepts, by their OpenSSH names. */
export const SSH_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;
export type SshKeyAlgorithm = (typeof SSH_KEY_ALGORITHMS)[number];

/** RSA moduli shorter than this are refused (NIST SP 800-131A: 2048 bits at least). */
export const MIN_RSA_KEY_BITS = 2048;
/** An RSA-16384 public key is ~2.8 KB of text; anything far longer is not a key. */
export const MAX_SSH_PUBLIC_KEY_LENGTH = 8192;
export const MAX_SSH_KEY_COMMENT_LENGTH = 200;

/** An OpenSSH public key as checked from its wire format (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4). */
export interface SshPublicKey {
  algorithm: SshKeyAlgorithm;
  /** Size of the key: 256 for ed25519, the curve's for ECDSA, the modulus's for RSA. */
  bits: number;
  /** The key blob, base64 as OpenSSH writes it: what identifies the key (its fingerprint is over these bytes). */
  blob: string;
  comment: string | null;
  /** `<algorithm> <blob>[ <comment>]`: one authorized_keys line, as sent to the provider. */
  text: string;
}

const CURVES: Record<string, { curve: string; bits: number; pointBytes: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', bits: 256, pointBytes: 65 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', bits: 384, pointBytes: 97 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', bits: 521, pointBytes: 133 },
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function invalidKey(message: string, reason = 'invalid_public_key'): DomainError {
  return new DomainError('validation', reason, message, { field: 'publicKey' });
}

/** Reads the SSH wire format's length-prefixed fields (`string`, `mpint`) from a key blob. */
class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  field(): Buffer {
    if (this.offset + 4 > this.bytes.length) throw invalidKey('The key data is truncated');
    const length = this.bytes.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.bytes.length) throw invalidKey('The key data is truncated');
    this.offset = start + length;
    return this.bytes.subarray(start, this.offset);
  }

  text(): string {
    return this.field().toString('latin1');
  }

  /** A positive mpint's bit length (leading zero bytes are padding). */
  positiveIntegerBits(): number {
    const value = this.field();
    if (value.length === 0 || (value[0] & 0x80) !== 0) throw invalidKey('The key has a malformed integer');
    let first = 0;
    while (first < value.length && value[first] === 0) first++;
    if (first === value.length) return 0;
    return (value.length - first - 1) * 8 + (32 - Math.clz32(value[first]));
  }

  end(): void {
    if (this.offset !== this.bytes.length) throw invalidKey('The key data has trailing bytes');
  }
}

/**
 * Parses one OpenSSH public key line, `<type> <base64>[ <comment>]` (as in id_ed25519.pub), and checks its wire
 * format: the type inside the blob must be the one written before it, each field must be present and nothing
 * may follow. Only the types of SSH_KEY_ALGORITHMS are accepted; an RSA key's size is reported, not judged
 * (the decider holds that rule). Pure: the fingerprint (SHA-256 of the blob) is computed by the caller.
 */
export function parseSshPublicKey(input: unknown): SshPublicKey {
  if (typeof input !== 'string') throw invalidKey('publicKey must be an OpenSSH public key line');
  const line = input.trim();
  if (line.length === 0 || line.length > MAX_SSH_PUBLIC_KEY_LENGTH) {
    throw invalidKey(
      `publicKey must be an OpenSSH public key line of at most ${MAX_SSH_PUBLIC_KEY_LENGTH} characters`,
    );
  }
  if (/PRIVATE KEY/.test(line)) {
    throw invalidKey('This is a private key: keep it to yourself and paste the public key (the .pub file)');
  }
  if (/[\r\n]/.test(line)) throw invalidKey('publicKey must be a single key (one line)');
  const [type, data, ...rest] = line.split(/[ \t]+/);
  if (data === undefined) {
    throw invalidKey('publicKey must look like "ssh-ed25519 AAAA… comment" (the content of a .pub file)');
  }
  if (!(SSH_KEY_ALGORITHMS as readonly string[]).includes(type)) {
    throw invalidKey(
      `Key type ${JSON.stringify(type.slice(0, 40))} is not accepted; use one of ${SSH_KEY_ALGORITHMS.join(', ')}`,
      'unsupported_key_type',
    );
  }
  const algorithm = type as SshKeyAlgorithm;
  if (!BASE64.test(data) || data.length % 4 !== 0) throw invalidKey('The key data is not valid base64');
  const bytes = Buffer.from(data, 'base64');
  if (bytes.toString('base64') !== data) throw invalidKey('The key data is not canonical base64');

  const reader = new WireReader(bytes);
  if (reader.text() !== algorithm) throw invalidKey(`The key data is not an ${algorithm} key`);
  let bits: number;
  if (algorithm === 'ssh-ed25519') {
    if (reader.field().length !== 32) throw invalidKey('An ed25519 key is 32 bytes');
    bits = 256;
  } else if (algorithm === 'ssh-rsa') {
    const exponentBits = reader.positiveIntegerBits();
    bits = reader.positiveIntegerBits();
    if (exponentBits < 2 || bits < 512) throw invalidKey('The RSA key is malformed');
  } else {
    const curve = CURVES[algorithm];
    if (reader.text() !== curve.curve) throw invalidKey(`The key's curve is not ${curve.curve}`);
    const point = reader.field();
    // Uncompressed points only (0x04 || X || Y), as OpenSSH writes them.
    if (point.length !== curve.pointBytes || point[0] !== 0x04)
      throw invalidKey('The ECDSA point is malformed');
    bits = curve.bits;
  }
  reader.end();

  const comment = rest.join(' ').trim();
  if (
    comment.length > MAX_SSH_KEY_COMMENT_LENGTH ||
    [...comment].some((char) => char < ' ' || char === '\x7f')
  ) {
    throw invalidKey(`The key's comment must be at most ${MAX_SSH_KEY_COMMENT_LENGTH} printable characters`);
  }
  return {
    algorithm,
    bits,
    blob: data,
    comment: comment === '' ? null : comment,
    text: comment === '' ? `${algorithm} ${data}` : `${algorithm} ${data} ${comment}`,
  };
}
