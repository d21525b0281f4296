import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { ProvisioningActionAcceptedDto } from '../../shared/operator-action.dto';
import { AbortProvisioningCommand } from './abort-provisioning.command';
import { AbortProvisioningRequestDto } from './abort-provisioning.request.dto';

@ApiTags('admin')
@Controller('admin/provisioning/:vpsId/abort')
export class AbortProvisioningHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(202)
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Abort provisioning',
    description:
      'Abort a provisioning or stuck server: the workflow deletes any instance, refunds the first hour, records it failed',
  })
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: ProvisioningActionAcceptedDto })
  @ApiErrorResponses({
    400: 'No reason',
    404: 'Unknown server',
    409: 'Not provisioning, or the workflow is not running',
    503: 'Recorded, but Temporal could not be reached; retry the request',
  })
  async abort(
    @Param('vpsId') vpsId: string,
    @Body() body: AbortProvisioningRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<ProvisioningActionAcceptedDto> {
    const result = await this.commandBus.execute(new AbortProvisioningCommand(vpsId, body.reason, context));
    return {
      vpsId: result.vpsId,
      workflowId: result.workflowId,
      action: 'abort',
      alreadyRequested: result.alreadyRequested,
      eventId: result.eventId,
      position: positionText(result.position),
    };
  }
}
