import { Body, Controller, HttpCode, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { VpsOperationAcceptedDto } from '../../shared/vps.dto';
import { vpsOperationView } from '../../shared/vps-view';
import { RenameVpsCommand } from './rename-vps.command';
import { RenameVpsRequestDto } from './rename-vps.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId')
export class RenameVpsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch()
  @ApiOperation({ summary: 'Rename a server (here and at the provider)' })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'The rename is recorded and its workflow started; the label changes when it completes',
  })
  @ApiErrorResponses({
    400: 'invalid_label',
    409: 'vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    503: 'Recorded, but the workflow could not be started; send the same request again',
  })
  async rename(
    @Param('vpsId') vpsId: string,
    @Body() body: RenameVpsRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new RenameVpsCommand(membership.organizationId, vpsId, body.label, context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
