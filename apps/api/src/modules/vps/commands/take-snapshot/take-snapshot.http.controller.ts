import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { VpsOperationAcceptedDto } from '../../shared/vps.dto';
import { vpsOperationView } from '../../shared/vps-view';
import { TakeSnapshotCommand } from './take-snapshot.command';
import { TakeSnapshotRequestDto } from './take-snapshot.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/snapshots')
export class TakeSnapshotHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Take a manual snapshot of the server (replaces its previous one)' })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'Recorded and its workflow started; GET /backups shows the snapshot once taken',
  })
  @ApiErrorResponses({
    400: 'invalid_snapshot_label',
    409: 'backups_not_enabled, vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    503: 'Recorded, but the workflow could not be started; send the same request again',
  })
  async take(
    @Param('vpsId') vpsId: string,
    @Body() body: TakeSnapshotRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new TakeSnapshotCommand(membership.organizationId, vpsId, body.label, context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
