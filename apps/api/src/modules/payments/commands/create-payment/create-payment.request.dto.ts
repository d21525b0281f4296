import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';

export class CreatePaymentRequestDto {
  @ApiProperty({ enum: ['paypal', 'stripe'], description: 'PayPal, or a card through Stripe Checkout' })
  @IsIn(['paypal', 'stripe'], { message: 'provider must be paypal or stripe' })
  provider!: 'paypal' | 'stripe';

  @ApiProperty({
    example: '20.00',
    description:
      'USD as a decimal STRING with at most 2 decimals, within the configured minimum, maximum and daily limit',
  })
  @IsString({ message: 'amount must be a decimal string such as "20.00" (JSON numbers are not accepted)' })
  @MaxLength(32, { message: 'amount is too long' })
  amount!: string;
}

export class PaymentCreatedResponseDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ enum: ['paypal', 'stripe'] }) provider!: 'paypal' | 'stripe';
  @ApiProperty({ example: 'initiated' }) status!: string;
  @ApiProperty({ description: 'Send the customer here to approve the payment' }) redirectUrl!: string;
}
