import { ApiProperty } from '@nestjs/swagger';
import { formatMoney, type PaymentState } from '@stratus/domain';
import type { ExistingPayment } from './payment-settlement.service';

export class PaymentDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: ['paypal', 'stripe'] }) provider!: 'paypal' | 'stripe';
  @ApiProperty({
    enum: ['initiated', 'approved', 'captured', 'failed', 'expired', 'refunded', 'disputed'],
  })
  status!: Exclude<PaymentState['status'], 'none'>;
  @ApiProperty({ example: '20.000000', description: 'Amount asked for (USD)' }) amount!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '20.000000',
    description: 'Amount the provider captured (what the wallet was credited); null until captured',
  })
  capturedAmount!: string | null;
  @ApiProperty({ example: '0.000000' }) refundedAmount!: string;
  @ApiProperty({ example: '0.000000' }) disputedAmount!: string;
  @ApiProperty({ description: 'Where the customer approves the payment (PayPal or Stripe hosted page)' })
  redirectUrl!: string;
}

export function paymentDto(state: ExistingPayment): PaymentDto {
  const settled = state.status === 'captured' || state.status === 'refunded' || state.status === 'disputed';
  return {
    paymentId: state.paymentId,
    organizationId: state.organizationId,
    provider: state.provider,
    status: state.status,
    amount: formatMoney(state.amount),
    capturedAmount: settled ? formatMoney(state.captured) : null,
    refundedAmount: formatMoney(settled ? state.refunded : 0n),
    disputedAmount: formatMoney(settled ? state.disputed : 0n),
    redirectUrl: state.redirectUrl,
  };
}
