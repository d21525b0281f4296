import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
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
    summary:
      'Abort a provisioning or stuck server: the workflow deletes any instance, refunds the first hour, records it failed',
  })
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: ProvisioningActionAcceptedDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'No reason' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown server' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'Not provisioning, or the workflow is not running',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'Recorded, but Temporal could not be reached; retry the request',
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
