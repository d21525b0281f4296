import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { VpsOperationAcceptedDto } from '../../shared/vps.dto';
import { vpsOperationView } from '../../shared/vps-view';
import { SetVpsBackupsCommand } from './set-vps-backups.command';

const ERRORS = {
  409: 'backups_already_enabled / backups_not_enabled, vps_not_active, vps_suspended, or operation_in_progress',
  503: 'Recorded, but the workflow could not be started; send the same request again',
} as const;

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/backups')
export class SetVpsBackupsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Enable backups (the plan’s upcharge applies from the next billing period)' })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: VpsOperationAcceptedDto, description: 'Recorded and its workflow started' })
  @ApiErrorResponses(ERRORS)
  enable(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    return this.set(vpsId, true, membership, context);
  }

  @Delete()
  @ApiOperation({ summary: 'Disable backups (the upcharge stops from the next billing period)' })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: VpsOperationAcceptedDto, description: 'Recorded and its workflow started' })
  @ApiErrorResponses(ERRORS)
  disable(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    return this.set(vpsId, false, membership, context);
  }

  private async set(
    vpsId: string,
    enabled: boolean,
    membership: OrganizationMembership,
    context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new SetVpsBackupsCommand(membership.organizationId, vpsId, enabled, context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
