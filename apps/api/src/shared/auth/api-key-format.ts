import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { STRATUS_ID_NAMESPACE } from '@stratus/domain';
import { v5 as uuidv5 } from 'uuid';

/** What every key starts with, so that a leaked one is recognisable (secret scanners) and told from a JWT. */
export const API_KEY_MARK = 'stx_';
const API_KEY = /^stx_([0-9a-f]{12})_([0-9a-f]{64})$/;

export interface NewApiKey {
  /** `stx_<prefix>_<secret>`: shown once, never stored. */
  key: string;
  keyId: string;
  prefix: string;
  secretHash: string;
}

/** The key's id, from its public prefix: a presented key names its own stream, no read model involved. */
export function apiKeyIdOf(prefix: string): string {
  return uuidv5(`apikey:${prefix}`, STRATUS_ID_NAMESPACE);
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh key: 48 random bits of prefix (the lookup id), 256 of secret. */
export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('hex');
  return {
    key: `${API_KEY_MARK}${prefix}_${secret}`,
    keyId: apiKeyIdOf(prefix),
    prefix,
    secretHash: hashApiKeySecret(secret),
  };
}

/** The parts of a presented key, or null when it is not one. */
export function parseApiKey(presented: string): { prefix: string; secret: string } | null {
  const match = API_KEY.exec(presented);
  return match ? { prefix: match[1], secret: match[2] } : null;
}

/** Whether `secret` hashes to `secretHash`, in time independent of where they differ. */
export function apiKeySecretMatches(secret: string, secretHash: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
