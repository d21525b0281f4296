import type { NextFunction, Request, Response } from 'express';

/** A percent-encoded NUL anywhere in the raw URL (path or query). */
const ENCODED_NUL = /%00/i;
/** Deep enough for any body the API accepts; deeper bodies are refused by validation anyway. */
const MAX_DEPTH = 32;

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1));
}

/** Where a request carries a NUL character, or null. */
export function nulCharacterLocation(request: {
  originalUrl: string;
  body?: unknown;
}): 'url' | 'body' | null {
  if (ENCODED_NUL.test(request.originalUrl)) return 'url';
  if (containsNul(request.body)) return 'body';
  return null;
}

/**
 * Refuses NUL characters in the URL and the JSON body with a 400, at the door: PostgreSQL cannot store or
 * compare them in text or jsonb, so one would otherwise fail deep in a query or an append as a 500. No
 * legitimate input of this API contains one.
 */
export function nulCharacterMiddleware(req: Request, res: Response, next: NextFunction): void {
  const location = nulCharacterLocation(req);
  if (location === null) return next();
  res.status(400).json({
    error: 'invalid_character',
    message: `The request ${location === 'url' ? 'URL' : 'body'} contains a NUL (\\u0000) character, which no field accepts`,
    details: { location },
  });
}
