import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';
import type { AuthenticatedUser } from './authenticated-user';
import { IS_PUBLIC } from './public.decorator';
import { SessionChecker } from './session-checker.service';

/**
 * Global guard: every route needs a valid session token unless marked @Public(), and the token's session must
 * still be open (not logged out, not revoked).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionChecker,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    await super.canActivate(context);
    const { user } = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    if (!user || !(await this.sessions.isActive(user.userId, user.sessionId))) throw unauthorized();
    return true;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw unauthorized();
    return user;
  }
}

function unauthorized(): ApiError {
  return ApiError.unauthorized('A valid session token is required');
}
