import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreditWalletRequestDto {
  @ApiProperty({
    example: '25.00',
    description:
      'USD as a decimal STRING with at most 6 decimals (a JSON number is rejected: it loses precision)',
  })
  @IsString({
    message:
      'amount must be a decimal string such as "25.00" (JSON numbers are not accepted: they lose precision)',
  })
  amount!: string;

  @ApiProperty({ example: 'Goodwill credit for the outage on 3 May', minLength: 1, maxLength: 500 })
  @IsString({ message: 'reason must be a string' })
  @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  reason!: string;
}

export class WalletCreditedResponseDto {
  @ApiProperty({ format: 'uuid', description: 'Id of the WalletCredited event (the ledger entry)' })
  transactionId!: string;
  @ApiProperty({ example: '25.000000', description: 'Balance right after this credit' }) balance!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
