import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { parseUsdAmount } from '@stratus/domain';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { requireIdempotencyKey } from '../../shared/idempotency-key';
import { requirePaymentId } from '../../shared/payment-id';
import { RefundPaymentCommand } from './refund-payment.command';
import { PaymentRefundedResponseDto, RefundPaymentRequestDto } from './refund-payment.request.dto';

@ApiTags('admin')
@Controller('admin/payments/:paymentId/refunds')
export class RefundPaymentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Refund a payment (full or partial) through its provider' })
  @HttpCode(201)
  @RequirePlatformAdmin()
  @ApiParam({ name: 'paymentId', format: 'uuid' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Retrying with the same key repeats the same provider refund instead of refunding twice',
  })
  @ApiCreatedResponse({ type: PaymentRefundedResponseDto })
  @ApiErrorResponses({
    404: 'Unknown payment',
    409: 'payment_not_captured: nothing to refund',
    502: 'The payment provider failed; retry with the same key',
  })
  refund(
    @Param('paymentId') paymentId: string,
    @Body() body: RefundPaymentRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<PaymentRefundedResponseDto> {
    const key = requireIdempotencyKey(idempotencyKey);
    const amount = parseUsdAmount(body.amount);
    return this.commandBus.execute(
      new RefundPaymentCommand(requirePaymentId(paymentId), amount, body.reason, key, context),
    );
  }
}
