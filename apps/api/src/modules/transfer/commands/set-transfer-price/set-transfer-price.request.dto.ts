import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class SetTransferPriceRequestDto {
  @ApiProperty({
    example: '0.005',
    description: 'USD per GB (10^9 bytes) past the pool, a decimal string with at most 6 decimals, 0 to 100',
  })
  @IsString({ message: 'pricePerGb must be a decimal string such as "0.005"' })
  pricePerGb!: string;
}

export class TransferPriceUpdatedResponseDto {
  @ApiProperty({ example: '0.005000' }) pricePerGb!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
