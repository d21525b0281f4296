import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { formatMoney } from '@stratus/domain';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RefundFirstHourCommand } from './refund-first-hour.command';
import { FirstHourRefundedDto, RefundFirstHourRequestDto } from './refund-first-hour.request.dto';

@ApiTags('admin')
@Controller('admin/provisioning/:vpsId/first-hour-refund')
export class RefundFirstHourHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Refund first hour',
    description:
      "Refund a failed server's recorded first-hour charge that its compensation did not refund; repeating it refunds nothing twice",
  })
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiOkResponse({ type: FirstHourRefundedDto })
  @ApiErrorResponses({
    400: 'No reason',
    404: 'Unknown server',
    409: 'The server is not failed, its first hour was never charged, or it was refunded already',
  })
  async refund(
    @Param('vpsId') vpsId: string,
    @Body() body: RefundFirstHourRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<FirstHourRefundedDto> {
    const result = await this.commandBus.execute(new RefundFirstHourCommand(vpsId, body.reason, context));
    return {
      vpsId: result.vpsId,
      chargeId: result.chargeId,
      refunded: true,
      amount: formatMoney(result.amount),
      refundedNow: formatMoney(result.refundedNow),
      eventId: result.eventId,
      position: positionText(result.position),
      replayed: result.replayed,
    };
  }
}
