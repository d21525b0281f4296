import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { BillingProfileDto } from '../../shared/invoice.dto';

export class UpdateBillingProfileRequestDto {
  @ApiProperty({ example: 'Acme GmbH', minLength: 1, maxLength: 200 })
  @IsString({ message: 'legalName must be a string' })
  @Length(1, 200, { message: 'legalName must be 1 to 200 characters' })
  legalName!: string;

  @ApiProperty({ example: 'Hauptstr. 1\n10115 Berlin', minLength: 1, maxLength: 500 })
  @IsString({ message: 'address must be a string' })
  @Length(1, 500, { message: 'address must be 1 to 500 characters' })
  address!: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2: selects the tax rate' })
  @IsString({ message: 'country must be a string' })
  @Length(2, 2, { message: 'country must be a two-letter ISO 3166-1 code' })
  country!: string;

  @ApiProperty({ type: String, required: false, nullable: true, example: 'DE123456789' })
  @IsOptional()
  @IsString({ message: 'taxId must be a string' })
  @MaxLength(40, { message: 'taxId must be at most 40 characters' })
  taxId?: string | null;
}

export class BillingProfileResponseDto {
  @ApiProperty({ type: BillingProfileDto, nullable: true, description: 'null until one is saved' })
  profile!: BillingProfileDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

export class BillingProfileUpdatedResponseDto {
  @ApiProperty({ type: BillingProfileDto }) profile!: BillingProfileDto;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
