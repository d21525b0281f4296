import { formatPosition, parsePosition, type Position } from '@stratus/eventstore';
import { ApiError } from '../../../../shared/errors/api-error';

/** Opaque to clients: base64url of "commit/prepare" of the last item returned. */
export function encodeCursor(position: Position): string {
  return Buffer.from(`v1:${formatPosition(position)}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const invalid = () =>
    ApiError.badRequest('invalid_cursor', 'cursor is not one this API returned', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v1:')) throw invalid();
  const position = parsePosition(text.slice(3));
  if (!position || text.slice(3) !== formatPosition(position)) throw invalid();
  return position;
}
