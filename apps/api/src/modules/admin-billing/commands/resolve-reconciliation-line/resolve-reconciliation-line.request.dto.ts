import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class ResolveReconciliationLineRequestDto {
  @ApiProperty({
    example: 'Refund of the double charge found by reconciliation',
    minLength: 1,
    maxLength: 500,
  })
  @IsString({ message: 'reason must be a string' })
  @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  reason!: string;

  @ApiPropertyOptional({
    example: '0.006849',
    description:
      'Signed USD decimal STRING moved on the wallet (+ credits the customer). Default: the line difference reversed',
  })
  @IsOptional()
  @IsString({ message: 'amount must be a decimal string such as "-0.50" (JSON numbers are not accepted)' })
  amount?: string;
}

export class ReconciliationLineResolvedResponseDto {
  @ApiProperty({ format: 'uuid' }) reconciliationId!: string;
  @ApiProperty() lineId!: string;
  @ApiProperty({ example: '0.006849', description: "Signed, as moved on the wallet's balance" })
  adjustmentAmount!: string;
  @ApiProperty({
    example: '0.000000',
    description:
      'A refund or dispute debit the balance could not cover: the rest, recorded as outstanding debt the next credit pays',
  })
  debtRecorded!: string;
  @ApiProperty({ format: 'uuid', description: 'The WalletAdjusted event id' }) walletEventRef!: string;
  @ApiProperty({ example: '12.000000', description: 'Wallet balance right after the adjustment' })
  balance!: string;
  @ApiProperty({ example: '7841/1203', nullable: true, type: String }) position!: string | null;
}
