import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PaymentDto } from './payment.dto';

export const DEFAULT_PAYMENTS_PAGE_SIZE = 20;

export class PaymentsPageRequestDto {
  @ApiPropertyOptional({ description: '1 to 100, default 20', example: '20' })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]|[1-9][0-9]|100)$/, { message: 'limit must be an integer from 1 to 100' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(120, { message: 'cursor is not one this API returned' })
  cursor?: string;
}

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
