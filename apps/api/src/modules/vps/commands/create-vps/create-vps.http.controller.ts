import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { requireIdempotencyKey } from '../../shared/idempotency';
import { checkRootPassword } from '../../shared/root-password.policy';
import { CreateVpsCommand } from './create-vps.command';
import { CreateVpsRequestDto, VpsAcceptedResponseDto } from './create-vps.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps')
export class CreateVpsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

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
    422: 'Plan/region/image not available, or idempotency_key_reused',
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
}
