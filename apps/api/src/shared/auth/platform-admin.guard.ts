import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { PLATFORM_ADMIN_ROLE, streams, userDecider } from '@stratus/domain';
import type { Request } from 'express';
import { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../errors/api-error';
import { ApiErrorResponses } from '../http/openapi-conventions';
import type { AuthenticatedUser } from './authenticated-user';

/**
 * /api/admin/*: the token must say admin AND the user's stream must still say admin, so a revoked
 * role stops working before the token expires.
 */
@Injectable()
export class PlatformAdminGuard implements CanActivate {
  constructor(private readonly executor: CommandExecutor) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const user = req.user;
    if (!user) throw ApiError.unauthorized();
    if (user.platformRole !== PLATFORM_ADMIN_ROLE) throw ApiError.forbidden('Platform administrators only');
    const { state } = await this.executor.load(streams.user(user.userId), userDecider);
    if (state.status !== 'registered' || state.platformRole !== PLATFORM_ADMIN_ROLE) {
      throw ApiError.forbidden('Platform administrators only');
    }
    return true;
  }
}

export const RequirePlatformAdmin = () =>
  applyDecorators(
    UseGuards(PlatformAdminGuard),
    ApiBearerAuth(),
    ApiErrorResponses({ 403: 'forbidden: not a platform administrator' }),
  );
