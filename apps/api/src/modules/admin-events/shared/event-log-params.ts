import { EventLogQueryError } from '@stratus/projections';
import { ApiError } from '../../../shared/errors/api-error';

/** Runs a parser of the shared event-log code, turning its complaints into 400s that name the parameter. */
export function parsedOr400<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof EventLogQueryError) {
      throw ApiError.badRequest(`invalid_${snake(error.field)}`, error.message, { field: error.field });
    }
    throw error;
  }
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
