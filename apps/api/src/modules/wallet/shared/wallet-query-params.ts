import { EventLogQueryError, parseInstant } from '@stratus/projections';
import { ApiError } from '../../../shared/errors/api-error';

/** An ISO-8601 instant with a zone (`since=2026-11-01T00:00:00Z`), else a 400 `invalid_since`. */
export function parseSince(text: string): Date {
  try {
    return parseInstant('since', text);
  } catch (error) {
    if (error instanceof EventLogQueryError) {
      throw ApiError.badRequest('invalid_since', error.message, { field: 'since' });
    }
    throw error;
  }
}
