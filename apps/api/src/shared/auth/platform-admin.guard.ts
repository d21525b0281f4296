import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { PLATFORM_ADMIN_ROLE, streams, userDecider } from '@stratus/domain';
import type { Request } from 'express';
import { CommandExecutor } from '@stratus/eventstore';
import { API_CONFIG, staffRequiresTwoFactor, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { ApiAccess, ApiErrorResponses } from '../http/openapi-conventions';
import type { AuthenticatedUser } from './authenticated-user';

/**
 * /api/admin/*: the token must say admin AND the user's stream must still say admin, so a revoked
 * role stops working before the token expires; with STAFF_REQUIRE_2FA the stream must also have 2FA on.
 */
@Injectable()
export class PlatformAdminGuard implements CanActivate {
  private readonly requireTwoFactor: boolean;

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.requireTwoFactor = staffRequiresTwoFactor(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const user = req.user;
    if (!user) throw ApiError.unauthorized();
    if (user.platformRole !== PLATFORM_ADMIN_ROLE) throw ApiError.forbidden('Platform administrators only');
    const { state } = await this.executor.load(streams.user(user.userId), userDecider);
    if (state.status !== 'registered' || state.platformRole !== PLATFORM_ADMIN_ROLE) {
      throw ApiError.forbidden('Platform administrators only');
    }
    if (this.requireTwoFactor && state.twoFactor.status !== 'enabled') {
      throw new ApiError(
        403,
        'two_factor_required',
        'Platform staff must turn on two-factor authentication (POST /api/me/2fa/setup, then /api/me/2fa/enable) to use /api/admin',
      );
    }
    return true;
  }
}

export const RequirePlatformAdmin = () =>
  applyDecorators(
    UseGuards(PlatformAdminGuard),
    ApiBearerAuth(),
    ApiAccess({ kind: 'platform-admin' }),
    ApiErrorResponses({
      403: 'forbidden: not a platform administrator; two_factor_required: staff without 2FA (STAFF_REQUIRE_2FA)',
    }),
  );
