import type { NextFunction, Request, Response } from 'express';
import { v4 as uuidv4 } from 'uuid';

/** A client-chosen request id is kept only when it is short and plain (it ends up in logs and events). */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : uuidv4();
}

/** Express middleware (runs before Nest routing, so even 404s and body errors carry the id). */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdFrom(req.headers['x-request-id']);
  (req as Request & { requestId: string }).requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
}
