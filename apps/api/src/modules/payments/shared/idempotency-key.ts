import { ApiError } from '../../../shared/errors/api-error';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Payments need an Idempotency-Key: a resubmitted form must never start a second payment. */
export function requireIdempotencyKey(value: string | undefined): string {
  if (value === undefined || !IDEMPOTENCY_KEY.test(value)) {
    throw ApiError.badRequest(
      'invalid_idempotency_key',
      'Idempotency-Key is required: 1 to 200 printable ASCII characters',
      { header: 'Idempotency-Key' },
    );
  }
  return value;
}
