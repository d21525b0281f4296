import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { requireIdempotencyKey } from '../../shared/idempotency-key';
import { CreatePaymentCommand } from './create-payment.command';
import { CreatePaymentRequestDto, PaymentCreatedResponseDto } from './create-payment.request.dto';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('payments')
@Controller('organizations/:orgId/payments')
export class CreatePaymentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Start a top-up payment (PayPal or card)' })
  @RefusedWhileImpersonating()
  @HttpCode(201)
  @RequirePermission('billing_manage')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Retrying with the same key returns the original payment instead of starting another',
  })
  @ApiCreatedResponse({ type: PaymentCreatedResponseDto })
  @ApiErrorResponses({
    400: 'Bad amount (not 2-decimal USD, below the minimum, above the maximum or the daily limit) or key',
    409: 'idempotency_key_reused: the key was used for another payment',
    502: 'The payment provider failed; retry with the same key',
    503: 'workflow_engine_unavailable: recorded, but its workflow could not be started; retry with the same key',
  })
  async create(
    @Param('orgId') _orgId: string,
    @Body() body: CreatePaymentRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PaymentCreatedResponseDto> {
    const key = requireIdempotencyKey(idempotencyKey);
    const result = await this.commandBus.execute(
      new CreatePaymentCommand(membership.organizationId, body.provider, body.amount, key, context),
    );
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    const { paymentId, provider, status, redirectUrl } = result.payment;
    return { paymentId, provider, status, redirectUrl };
  }
}
