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
import { ResizeVpsCommand } from './resize-vps.command';
import { ResizeVpsRequestDto } from './resize-vps.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/resize')
export class ResizeVpsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Resize the server to another plan (its price applies from the next billing period)',
  })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'Recorded and its workflow started; the server shows the new plan once it runs again',
  })
  @ApiErrorResponses({
    400: 'same_plan (already on it), disk_too_small (the plan’s disk is smaller than the server’s)',
    409: 'vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    422: 'plan_not_available, region_not_offered (not offered in the server’s region)',
    503: 'Recorded, but the workflow could not be started; send the same request again',
  })
  async resize(
    @Param('vpsId') vpsId: string,
    @Body() body: ResizeVpsRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new ResizeVpsCommand(membership.organizationId, vpsId, body.planId.toLowerCase(), context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
