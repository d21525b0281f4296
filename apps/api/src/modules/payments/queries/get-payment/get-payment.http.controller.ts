import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { PaymentDto } from '../../shared/payment.dto';
import { requirePaymentId } from '../../shared/payment-id';
import { GetPaymentQuery } from './get-payment.query';

@ApiTags('payments')
@Controller('organizations/:orgId/payments/:paymentId')
export class GetPaymentHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get a payment' })
  @RequirePermission('billing_manage')
  @ApiParam({ name: 'paymentId', format: 'uuid' })
  @ApiOkResponse({ type: PaymentDto })
  get(
    @Param('paymentId') paymentId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<PaymentDto> {
    return this.queryBus.execute(new GetPaymentQuery(membership.organizationId, requirePaymentId(paymentId)));
  }
}
