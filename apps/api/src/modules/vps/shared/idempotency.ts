import { STRATUS_ID_NAMESPACE } from '@stratus/domain';
import { createHmac } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { ApiError } from '../../../shared/errors/api-error';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header: required on server creation, 1 to 200 printable ASCII characters. */
export function requireIdempotencyKey(header: unknown): string {
  if (header === undefined || header === '') {
    throw ApiError.badRequest(
      'idempotency_key_required',
      'Creating a server requires an Idempotency-Key header (retry with the same key to get the same server)',
      { header: 'Idempotency-Key' },
    );
  }
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw ApiError.badRequest(
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 200 printable ASCII characters',
      { header: 'Idempotency-Key' },
    );
  }
  return header;
}

/** Same organization + same key ⇒ same server id, so a retry finds the server it already created. */
export function vpsIdFor(organizationId: string, idempotencyKey: string): string {
  return uuidv5(`vps:${organizationId}:${idempotencyKey}`, STRATUS_ID_NAMESPACE);
}

export interface CreateVpsBody {
  label: string;
  planId: string;
  region: string;
  image: string;
  rootPassword: string;
  sshKeyIds: string[];
  backups: boolean;
}

/**
 * What VpsRequested stores in `idempotencyKey`: "v1:<hmac>:<key>". The HMAC (keyed by the secrets key, so
 * the stored value cannot be used to guess the root password offline) covers the canonical request body;
 * a retry with the same key and another body is refused.
 */
export function idempotencyRecord(key: string, body: CreateVpsBody, secret: string): string {
  const canonical = JSON.stringify([
    body.label,
    body.planId.toLowerCase(),
    body.region,
    body.image,
    body.rootPassword,
    [...body.sshKeyIds],
    body.backups,
  ]);
  const mac = createHmac('sha256', Buffer.from(secret, 'base64'))
    .update('stratus:vps-request:v1\0')
    .update(canonical)
    .digest('hex');
  return `v1:${mac}:${key}`;
}
