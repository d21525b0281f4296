import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ErrorResponseDto } from '../../../../shared/http/error-response.dto';
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
  @ApiOperation({ summary: 'Retry a stuck provisioning (waits for the provider to report running again)' })
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: ProvisioningActionAcceptedDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown server' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The server is not stuck' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'Recorded, but Temporal could not be reached; retry the request',
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
