import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';
import { API_KEY_MARK } from './api-key-format';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import type { AuthenticatedUser } from './authenticated-user';
import {
  API_KEY_ALLOWED,
  apiKeyNotAllowed,
  impersonationForbidden,
  REFUSED_WHILE_IMPERSONATING,
} from './credential-policy';
import { IS_PUBLIC } from './public.decorator';
import { SessionChecker } from './session-checker.service';

type AuthRequest = Request & { user?: AuthenticatedUser };

/**
 * Global guard: every route needs a credential unless marked @Public(). A session token's session must still be
 * open (not logged out, not revoked), and an impersonation session is refused the routes marked
 * @RefusedWhileImpersonating(). An API key (`stx_…`) is accepted only where @AllowApiKey() says so (the
 * organization routes), after ApiKeyAuthenticator found it neither revoked nor expired.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionChecker,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<AuthRequest>();
    const apiKey = presentedApiKey(req);
    if (apiKey !== null) {
      const user = await this.apiKeys.authenticate(apiKey, req.ip);
      if (!this.reflector.getAllAndOverride<boolean>(API_KEY_ALLOWED, targets)) throw apiKeyNotAllowed();
      req.user = user;
      return true;
    }
    await super.canActivate(context);
    const { user } = req;
    if (!user?.sessionId || !(await this.sessions.isActive(user.userId, user.sessionId)))
      throw unauthorized();
    if (
      user.impersonatorId !== null &&
      this.reflector.getAllAndOverride<boolean>(REFUSED_WHILE_IMPERSONATING, targets)
    ) {
      throw impersonationForbidden();
    }
    return true;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw unauthorized();
    return user;
  }
}

/** The API key in `Authorization: Bearer stx_…`, or null for anything else (a session token, nothing). */
function presentedApiKey(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match && match[1].startsWith(API_KEY_MARK) ? match[1] : null;
}

function unauthorized(): ApiError {
  return ApiError.unauthorized('A valid session token is required');
}
