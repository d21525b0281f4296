import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** ?month=YYYY-MM (UTC); absent: the current month. */
export class TransferMonthRequestDto {
  @ApiPropertyOptional({
    example: '2026-12',
    description: 'A calendar month (UTC), YYYY-MM; default the current one',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month YYYY-MM' })
  month?: string;
}

export class TransferDayDto {
  @ApiProperty({ example: '2026-12-06' }) date!: string;
  @ApiProperty({ example: '1073741824', description: 'Bytes counted that day, decimal string (exact)' })
  usedBytes!: string;
}

export class TransferMonthClosedDto {
  @ApiProperty({ example: '0.512000', description: 'Charged at the close (micro-dollar exact)' })
  amount!: string;
  @ApiProperty({ enum: ['charged', 'debt', 'nothing_owed'] }) outcome!: 'charged' | 'debt' | 'nothing_owed';
  @ApiProperty({ type: String, nullable: true, example: 'transfer-…:2026-11' }) chargeId!: string | null;
  @ApiProperty({ example: '102400000000' }) overageBytes!: string;
}

export class VpsTransferDto {
  @ApiProperty({ format: 'uuid' }) vpsId!: string;
  @ApiProperty({ example: '2026-12' }) month!: string;
  @ApiProperty({ example: '22956600198', description: 'Bytes used this month, decimal string (exact)' })
  usedBytes!: string;
  @ApiProperty({
    example: 1000,
    description: "Whole GB (10^9 bytes) the server adds to the organization's pool",
  })
  quotaGb!: number;
  @ApiProperty({ example: '1000000000000', description: 'quotaGb in bytes' }) allowanceBytes!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The last hour measured' })
  measuredAt!: string | null;
  @ApiProperty({ type: [TransferDayDto], description: 'Each day of the month so far' })
  days!: TransferDayDto[];
}

export class OrganizationTransferServerDto {
  @ApiProperty({ format: 'uuid' }) vpsId!: string;
  @ApiProperty({ type: String, nullable: true }) label!: string | null;
  @ApiProperty({ example: '22956600198' }) usedBytes!: string;
  @ApiProperty({ example: 1000 }) quotaGb!: number;
}

export class OrganizationTransferDto {
  @ApiProperty({ example: '2026-12' }) month!: string;
  @ApiProperty({ example: '22956600198', description: 'Bytes used by every server this month (exact)' })
  usedBytes!: string;
  @ApiProperty({ example: '2000000000000', description: "The pool: the servers' quotas, in bytes" })
  allowanceBytes!: string;
  @ApiProperty({ example: '0', description: 'Bytes past the pool' }) overageBytes!: string;
  @ApiProperty({ example: '0.005000', description: 'Price per GB (10^9 bytes) past the pool, set by staff' })
  pricePerGb!: string;
  @ApiProperty({
    example: '0.000000',
    description:
      "The overage at that price, rounded half-up to the micro-dollar: billed at the month's close",
  })
  overageAmount!: string;
  @ApiProperty({ type: TransferMonthClosedDto, nullable: true, description: 'Set once the month is closed' })
  closed!: TransferMonthClosedDto | null;
  @ApiProperty({ type: [OrganizationTransferServerDto] }) servers!: OrganizationTransferServerDto[];
  @ApiProperty({ type: [TransferDayDto], description: 'Bytes of every server, each day of the month so far' })
  days!: TransferDayDto[];
}

export class TransferPriceDto {
  @ApiProperty({
    example: '0.005000',
    description: 'Micro-dollar exact price per GB (10^9 bytes) past the pool',
  })
  pricePerGb!: string;
  @ApiProperty({ description: 'False while the default applies (staff never set one)' }) set!: boolean;
}
