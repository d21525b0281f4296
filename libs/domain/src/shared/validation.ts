import { DomainError } from './decider';

/** A required, trimmed piece of text of 1..max characters; returns the trimmed text. */
export function requireText(value: unknown, field: string, reason: string, max: number): string {
  if (typeof value !== 'string') {
    throw new DomainError('validation', reason, `${field} must be a string of 1 to ${max} characters`, {
      field,
    });
  }
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max) {
    throw new DomainError('validation', reason, `${field} must be 1 to ${max} characters after trimming`, {
      field,
      length: trimmed.length,
      max,
    });
  }
  return trimmed;
}

/** Ids arrive from outside (uuids, deterministic keys): non-empty, no surrounding whitespace, bounded. */
export function requireId(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.trim() !== value) {
    throw new DomainError(
      'validation',
      `invalid_${toSnake(field)}`,
      `${field} must be a non-empty identifier`,
      {
        field,
      },
    );
  }
  return value;
}

function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
