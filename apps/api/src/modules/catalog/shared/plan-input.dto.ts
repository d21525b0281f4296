import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';

const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const MONEY_MESSAGE = (field: string) =>
  `${field} must be a decimal string such as "5.00" (JSON numbers are not accepted: they lose precision)`;

/** The fields of a plan; creation requires all but `active`, an update any non-empty subset. */
export class CreatePlanRequestDto {
  @ApiProperty({ example: 'Nanode 1 GB', minLength: 1, maxLength: 100 })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;

  @ApiProperty({ example: 'g6-nanode-1', description: "The provider's plan (Linode type) id" })
  @IsString({ message: 'providerPlanId must be a string' })
  @Matches(PROVIDER_ID, { message: 'providerPlanId must be a provider type id such as "g6-nanode-1"' })
  providerPlanId!: string;

  @ApiProperty({ type: [String], example: ['us-east', 'eu-west'], minItems: 1, maxItems: 100 })
  @IsArray({ message: 'regions must be an array of region ids' })
  @ArrayMinSize(1, { message: 'regions must list at least one region' })
  @ArrayMaxSize(100, { message: 'regions must list at most 100 regions' })
  @ArrayUnique({ message: 'regions must not repeat a region' })
  @IsString({ each: true, message: 'regions must be region ids' })
  @Matches(PROVIDER_ID, { each: true, message: 'regions must be region ids such as "us-east"' })
  regions!: string[];

  @ApiProperty({ example: '5.00', description: "The provider's monthly price, USD decimal string" })
  @IsString({ message: MONEY_MESSAGE('baseMonthlyPrice') })
  baseMonthlyPrice!: string;

  @ApiProperty({ example: '1.00', description: 'Added to the base monthly price, USD decimal string' })
  @IsString({ message: MONEY_MESSAGE('markup') })
  markup!: string;

  @ApiProperty({ example: '2.00', description: 'Monthly surcharge when backups are enabled' })
  @IsString({ message: MONEY_MESSAGE('backupUpcharge') })
  backupUpcharge!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class UpdatePlanRequestDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name?: string;

  @ApiPropertyOptional({ example: 'g6-nanode-1' })
  @IsOptional()
  @IsString({ message: 'providerPlanId must be a string' })
  @Matches(PROVIDER_ID, { message: 'providerPlanId must be a provider type id such as "g6-nanode-1"' })
  providerPlanId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'regions must be an array of region ids' })
  @ArrayMinSize(1, { message: 'regions must list at least one region' })
  @ArrayMaxSize(100, { message: 'regions must list at most 100 regions' })
  @ArrayUnique({ message: 'regions must not repeat a region' })
  @IsString({ each: true, message: 'regions must be region ids' })
  @Matches(PROVIDER_ID, { each: true, message: 'regions must be region ids such as "us-east"' })
  regions?: string[];

  @ApiPropertyOptional({ example: '5.00' })
  @IsOptional()
  @IsString({ message: MONEY_MESSAGE('baseMonthlyPrice') })
  baseMonthlyPrice?: string;

  @ApiPropertyOptional({ example: '1.00' })
  @IsOptional()
  @IsString({ message: MONEY_MESSAGE('markup') })
  markup?: string;

  @ApiPropertyOptional({ example: '2.00' })
  @IsOptional()
  @IsString({ message: MONEY_MESSAGE('backupUpcharge') })
  backupUpcharge?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
