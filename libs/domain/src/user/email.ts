import { DomainError } from '../shared/decider';

export const MAX_EMAIL_LENGTH = 254;
// Pragmatic shape check (local@domain.tld); deliverability is proved by mail, not by a regex.
const EMAIL_PATTERN = /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]{2,}$/;

/** The form used in events and in the claim stream name (same rule as streams.emailClaim). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const email = normalizeEmail(value);
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
}

/** Validates and normalizes; throws DomainError('validation', 'invalid_email'). */
export function requireEmail(value: unknown): string {
  if (!isValidEmail(value)) {
    throw new DomainError(
      'validation',
      'invalid_email',
      'email must be a valid address such as name@example.com',
      {
        field: 'email',
      },
    );
  }
  return normalizeEmail(value);
}
