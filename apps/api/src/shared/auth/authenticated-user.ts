import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The principal of a request, taken from a verified session token whose session is not revoked. */
export interface AuthenticatedUser {
  userId: string;
  email: string;
  platformRole: 'admin' | 'customer';
  /** The token's session (`sid`): what logout and "sign out other sessions" end or keep. */
  sessionId: string;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    if (!req.user) throw new Error('CurrentUser used on a public route');
    return req.user;
  },
);
