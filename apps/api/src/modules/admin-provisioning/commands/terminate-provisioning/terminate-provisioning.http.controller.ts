import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { formatMoney } from '@stratus/domain';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { TerminateProvisioningCommand } from './terminate-provisioning.command';
import {
  ProvisioningTerminatedDto,
  TerminateProvisioningRequestDto,
} from './terminate-provisioning.request.dto';

@ApiTags('admin')
@Controller('admin/provisioning/:vpsId/terminate')
export class TerminateProvisioningHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Terminate provisioning',
    description:
      'Last resort: terminate the provisioning workflow, refund the first hour, report instances left at the provider',
  })
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiOkResponse({ type: ProvisioningTerminatedDto })
  @ApiErrorResponses({
    400: 'No reason',
    404: 'Unknown server',
    409: 'Not provisioning, stuck or deleting before activation',
    503: 'Temporal or the provider could not be reached; repeat the request (every step is idempotent)',
  })
  async terminate(
    @Param('vpsId') vpsId: string,
    @Body() body: TerminateProvisioningRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<ProvisioningTerminatedDto> {
    const result = await this.commandBus.execute(
      new TerminateProvisioningCommand(vpsId, body.reason, context),
    );
    return {
      vpsId: result.vpsId,
      workflowId: result.workflowId,
      workflowTerminated: result.workflowTerminated,
      refunded: result.refunded,
      refundedNow: formatMoney(result.refundedNow),
      instancesLeft: result.instancesLeft,
      eventId: result.eventId,
      position: positionText(result.position),
      replayed: result.replayed,
    };
  }
}
