import { ApiProperty } from '@nestjs/swagger';

export class StatementServerDto {
  @ApiProperty({ type: String, nullable: true, description: 'null: charges not tied to a server' })
  vpsId!: string | null;
  @ApiProperty({ type: String, nullable: true }) label!: string | null;
  @ApiProperty({ description: 'Ledger entries summed (charges and their refunds)' }) entries!: number;
  @ApiProperty({ example: '12.500000', description: 'Charges minus refunds of charges' }) amount!: string;
}

export class StatementDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: '2026-05' }) period!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive' }) to!: string;
  @ApiProperty({ type: [StatementServerDto] }) servers!: StatementServerDto[];
  @ApiProperty({ example: '37.500000' }) total!: string;
}
