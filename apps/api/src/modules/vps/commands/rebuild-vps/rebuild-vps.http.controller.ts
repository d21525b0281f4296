import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { checkRootPassword } from '../../shared/root-password.policy';
import { VpsOperationAcceptedDto } from '../../shared/vps.dto';
import { vpsOperationView } from '../../shared/vps-view';
import { RebuildVpsCommand } from './rebuild-vps.command';
import { RebuildVpsRequestDto } from './rebuild-vps.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/rebuild')
export class RebuildVpsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Rebuild the server from an image (its disks are erased)' })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'Recorded and its workflow started; the server shows the new image once it runs again',
  })
  @ApiErrorResponses({
    400: 'weak_root_password, no_root_login (neither a password nor a key), invalid image',
    409: 'vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    422: 'image_not_available, ssh_key_not_found (not a key of this organization)',
    503: 'Recorded, but the workflow could not be started; send the same request again',
  })
  async rebuild(
    @Param('vpsId') vpsId: string,
    @Body() body: RebuildVpsRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    if (body.rootPassword !== undefined) checkRootPassword(body.rootPassword);
    const started = await this.commandBus.execute(
      new RebuildVpsCommand(
        membership.organizationId,
        vpsId,
        { image: body.image, rootPassword: body.rootPassword ?? null, sshKeyIds: body.sshKeyIds ?? [] },
        context,
      ),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
