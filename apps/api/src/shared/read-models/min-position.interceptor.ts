import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { parsePosition } from '@stratus/eventstore';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { ApiError } from '../errors/api-error';
import { ProjectionWaiter } from './projection-waiter.service';

export const MIN_POSITION_HEADER = 'x-min-position';
export const MIN_POSITION_WAIT_MS = 2000;

/**
 * Queries (GET) carrying `X-Min-Position: <commit>/<prepare>` — the `position` a command returned —
 * wait up to 2 s for the read models to include it. On timeout the answer is served anyway, marked
 * `X-Projection-Lag: true`.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(private readonly waiter: ProjectionWaiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers[MIN_POSITION_HEADER];
    if (header === undefined || req.method !== 'GET') return next.handle();
    const position = typeof header === 'string' && header.length <= 64 ? parsePosition(header) : null;
    if (!position) {
      throw ApiError.badRequest(
        'invalid_min_position',
        'X-Min-Position must be a position as returned by a command, e.g. "7841/1203"',
        { header: 'X-Min-Position' },
      );
    }
    return from(this.waiter.waitFor(position, MIN_POSITION_WAIT_MS)).pipe(
      switchMap((reached) => {
        if (!reached) context.switchToHttp().getResponse<Response>().setHeader('X-Projection-Lag', 'true');
        return next.handle();
      }),
    );
  }
}
