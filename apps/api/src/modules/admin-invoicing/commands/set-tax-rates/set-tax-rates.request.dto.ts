import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, ValidateNested } from 'class-validator';

export class TaxRateDto {
  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsString({ message: 'country must be a string' })
  country!: string;

  @ApiProperty({ example: '19.00', description: 'Percent, 0 to 100 with at most 2 decimals, as a string' })
  @IsString({ message: 'rate must be a string such as "19" or "7.25"' })
  rate!: string;
}

export class SetTaxRatesRequestDto {
  @ApiProperty({ type: [TaxRateDto], description: 'Every rate: countries left out have none (0%)' })
  @IsArray({ message: 'rates must be a list' })
  @ArrayMaxSize(300, { message: 'rates must have at most 300 entries' })
  @ValidateNested({ each: true })
  @Type(() => TaxRateDto)
  rates!: TaxRateDto[];
}

export class TaxRateItemDto extends TaxRateDto {
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class TaxRatesResponseDto {
  @ApiProperty({ type: [TaxRateItemDto] }) rates!: TaxRateItemDto[];
}

export class TaxRatesUpdatedResponseDto {
  @ApiProperty({ type: [TaxRateDto] }) rates!: TaxRateDto[];
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
