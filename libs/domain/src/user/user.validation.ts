import { DomainError } from '../shared/decider';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function requireSha256(value: unknown, field: string, reason: string): string {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw new DomainError('validation', reason, `${field} must be a sha256 digest (64 lowercase hex)`, {
      field,
    });
  }
  return value;
}

export function requireInstant(value: unknown, field: string): number {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new DomainError(
      'validation',
      `invalid_${field === 'expiresAt' ? 'expires_at' : field}`,
      `${field} must be an ISO-8601 instant`,
      {
        field,
      },
    );
  }
  return time;
}
