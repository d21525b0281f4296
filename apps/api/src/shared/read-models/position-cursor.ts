import { formatPosition, parsePosition, type Position } from '@stratus/eventstore';
import { ApiError } from '../errors/api-error';

/**
 * A page cursor over lists ordered by event-store position (ledger entries): opaque to clients, base64url of
 * "v1:commit/prepare" of the last item returned.
 */
export function encodePositionCursor(position: Position): string {
  return Buffer.from(`v1:${formatPosition(position)}`, 'utf8').toString('base64url');
}

export function decodePositionCursor(cursor: string): Position {
  const invalid = () =>
    ApiError.badRequest('invalid_cursor', 'cursor is not one this API returned', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v1:')) throw invalid();
  const position = parsePosition(text.slice(3));
  if (!position || text.slice(3) !== formatPosition(position)) throw invalid();
  return position;
}
