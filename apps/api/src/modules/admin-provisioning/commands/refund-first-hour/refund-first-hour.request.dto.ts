import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RefundFirstHourRequestDto {
  @ApiProperty({ example: 'First-hour charge committed, its activity failed', minLength: 1, maxLength: 1000 })
  @IsString({ message: 'reason is required: why the first hour is refunded' })
  @Length(1, 1000, { message: 'reason must be 1 to 1000 characters' })
  reason!: string;
}

export class FirstHourRefundedDto {
  @ApiProperty({ format: 'uuid' }) vpsId!: string;
  @ApiProperty({ example: 'vps-3f0b8f52-…:2026-01-01T00:00:00.000Z' }) chargeId!: string;
  @ApiProperty({ description: 'The first hour is refunded (by this call or an earlier one)' })
  refunded!: boolean;
  @ApiProperty({ example: '0.010959', description: 'The recorded charge, refunded in full' }) amount!: string;
  @ApiProperty({ example: '0.010959', description: 'Amount refunded by this call' }) refundedNow!: string;
  @ApiProperty({ format: 'uuid', description: 'The VpsFirstHourRefunded event' }) eventId!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
  @ApiProperty({ description: 'An earlier call recorded this refund; this is its outcome' })
  replayed!: boolean;
}
