import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Permission } from '@stratus/domain';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';

/** An API key as the credential of a request: which key, for which organization, with which scopes. */
export interface ApiKeyCredential {
  keyId: string;
  organizationId: string;
  /** The key's scopes; what the request may do is these intersected with its owner's current permissions. */
  permissions: readonly Permission[];
}

/**
 * The principal of a request: from a verified session token whose session is not revoked, or from an API key
 * (`stx_…`) that is neither revoked nor expired.
 */
export interface AuthenticatedUser {
  userId: string;
  email: string;
  platformRole: 'admin' | 'customer';
  /** The token's session (`sid`): what logout and "sign out other sessions" end or keep. Null for an API key. */
  sessionId: string | null;
  /** The staff member acting as this user (an impersonation session's token), else null. */
  impersonatorId: string | null;
  /** The API key the request authenticated with, else null. */
  apiKey: ApiKeyCredential | null;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    if (!req.user) throw new Error('CurrentUser used on a public route');
    return req.user;
  },
);

/** The request's session; routes about sessions are closed to API keys (the guard refuses them first). */
export function sessionOf(user: AuthenticatedUser): string {
  if (user.sessionId === null) throw ApiError.forbidden('This route needs a session, not an API key');
  return user.sessionId;
}
