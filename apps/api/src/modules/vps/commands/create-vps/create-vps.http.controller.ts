import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { API_CONFIG, type ApiConfig } from '../../../../shared/config/api-config';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { requireIdempotencyKey } from '../../shared/idempotency';
import { checkRootPassword } from '../../shared/root-password.policy';
import { CreateVpsCommand } from './create-vps.command';
import { CreateVpsRequestDto, VpsAcceptedResponseDto } from './create-vps.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps')
export class CreateVpsHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly users: UserDirectory,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a server' })
  @HttpCode(202)
  @RequirePermission('vps_create')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'Required. Retrying with the same key and body returns the same server; another body with it is a 422',
  })
  @ApiAcceptedResponse({ type: VpsAcceptedResponseDto, description: 'Provisioning started' })
  @ApiErrorResponses({
    402: 'insufficient_funds',
    403: 'email_not_verified (REQUIRE_VERIFIED_EMAIL), or a role without vps_create',
    422: 'Plan/region/image not available, ssh_key_not_found (not a key of this organization), or idempotency_key_reused',
    503: 'Provider or workflow engine unavailable; retry with the same Idempotency-Key',
  })
  async create(
    @Param('orgId') _orgId: string,
    @Body() body: CreateVpsRequestDto,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VpsAcceptedResponseDto> {
    await this.requireVerifiedEmail(context.actor.userId);
    const idempotencyKey = requireIdempotencyKey(idempotencyKeyHeader);
    checkRootPassword(body.rootPassword);
    const result = await this.commandBus.execute(
      new CreateVpsCommand(
        membership.organizationId,
        idempotencyKey,
        {
          label: body.label,
          planId: body.planId.toLowerCase(),
          region: body.region,
          image: body.image,
          rootPassword: body.rootPassword,
          sshKeyIds: body.sshKeyIds ?? [],
          backups: body.backups ?? false,
        },
        context,
      ),
    );
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return {
      id: result.vpsId,
      status: 'provisioning',
      workflowId: result.workflowId,
      hourlyPrice: result.hourlyPrice,
      monthlyPrice: result.monthlyPrice,
      position: positionText(result.position),
    };
  }

  /** The user's own stream, not the read model: a link followed a moment ago counts. */
  private async requireVerifiedEmail(userId: string): Promise<void> {
    if (this.config.requireVerifiedEmail === false) return;
    const user = await this.users.load(userId);
    if (user.status === 'registered' && user.emailVerification.status === 'verified') return;
    throw new ApiError(
      403,
      'email_not_verified',
      'Verify your email address (follow the link we mailed you) before creating a server',
    );
  }
}
