import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { PaymentDto } from '../../shared/payment.dto';
import { requirePaymentId } from '../../shared/payment-id';
import { CapturePaymentCommand } from './capture-payment.command';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('payments')
@Controller('organizations/:orgId/payments/:paymentId/capture')
export class CapturePaymentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Complete an approved payment (idempotent: one credit whatever the calls)' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @RequirePermission('billing_manage')
  @ApiParam({ name: 'paymentId', format: 'uuid' })
  @ApiOkResponse({ type: PaymentDto, description: 'The payment after the provider was asked' })
  @ApiErrorResponses({ 502: 'The payment provider failed; call again' })
  capture(
    @Param('paymentId') paymentId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<PaymentDto> {
    return this.commandBus.execute(
      new CapturePaymentCommand(membership.organizationId, requirePaymentId(paymentId), context),
    );
  }
}
