import { ApiProperty } from '@nestjs/swagger';
import { PaymentDto } from './payment.dto';

export class PaymentListItemDto extends PaymentDto {
  @ApiProperty({ type: String, nullable: true }) captureId!: string | null;
  @ApiProperty({
    example: '0.000000',
    description: 'Refunds and disputes the wallet balance could not cover (outstanding)',
  })
  uncoveredAmount!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PaymentsPageResponseDto {
  @ApiProperty({ type: [PaymentListItemDto] }) items!: PaymentListItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}
