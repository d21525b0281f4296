import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { ProvisioningActionAcceptedDto } from '../../shared/operator-action.dto';
import { RetryProvisioningCommand } from './retry-provisioning.command';
import { DEFAULT_RETRY_REASON, RetryProvisioningRequestDto } from './retry-provisioning.request.dto';

@ApiTags('admin')
@Controller('admin/provisioning/:vpsId/retry')
export class RetryProvisioningHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(202)
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Retry provisioning',
    description: 'Retry a stuck provisioning (waits for the provider to report running again)',
  })
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: ProvisioningActionAcceptedDto })
  @ApiErrorResponses({
    404: 'Unknown server',
    409: 'The server is not stuck',
    503: 'Recorded, but Temporal could not be reached; retry the request',
  })
  async retry(
    @Param('vpsId') vpsId: string,
    @Body() body: RetryProvisioningRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<ProvisioningActionAcceptedDto> {
    const result = await this.commandBus.execute(
      new RetryProvisioningCommand(vpsId, body?.reason ?? DEFAULT_RETRY_REASON, context),
    );
    return {
      vpsId: result.vpsId,
      workflowId: result.workflowId,
      action: 'retry',
      alreadyRequested: result.alreadyRequested,
      eventId: result.eventId,
      position: positionText(result.position),
    };
  }
}
