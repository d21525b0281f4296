import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { PaymentDto } from '../../shared/payment.dto';

export class RefundPaymentRequestDto {
  @ApiProperty({ example: '5.00', description: 'USD, at most 2 decimals, at most what is left to refund' })
  @IsString({ message: 'amount must be a decimal string such as "5.00"' })
  @MaxLength(32, { message: 'amount is too long' })
  amount!: string;

  @ApiProperty({ example: 'Customer asked within 14 days', minLength: 1, maxLength: 500 })
  @IsString({ message: 'reason must be a string' })
  @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  reason!: string;
}

export class PaymentRefundedResponseDto {
  @ApiProperty({ description: "The provider's refund id" }) refundId!: string;
  @ApiProperty({ example: '5.000000', description: 'Debited from the wallet' }) walletDebited!: string;
  @ApiProperty({
    example: '0.000000',
    description: 'What the wallet balance could not cover (outstanding; the balance never goes negative)',
  })
  uncovered!: string;
  @ApiProperty({ type: PaymentDto }) payment!: PaymentDto;
}
