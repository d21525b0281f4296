import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ALLOWED_IP_RANGES, MAX_API_KEY_NAME_LENGTH, PERMISSIONS } from '@stratus/domain';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { ApiKeyDto } from '../../shared/api-key.dto';

export class CreateApiKeyRequestDto {
  @ApiProperty({ example: 'CI deploys', minLength: 1, maxLength: MAX_API_KEY_NAME_LENGTH })
  @IsString({ message: 'name must be a string' })
  @Length(1, MAX_API_KEY_NAME_LENGTH, { message: `name must be 1 to ${MAX_API_KEY_NAME_LENGTH} characters` })
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'The one organization the key works for' })
  @IsUUID('all', { message: 'organizationId must be a uuid' })
  organizationId!: string;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    description: 'Scopes: only permissions you hold in the organization',
    example: ['vps_view'],
  })
  @IsArray({ message: 'permissions must be a list of permissions' })
  @ArrayMaxSize(PERMISSIONS.length, { message: 'permissions lists too many entries' })
  @IsString({ each: true, message: 'permissions must list permission names' })
  permissions!: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the key stops working; absent or null: never',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO-8601 instant' })
  @MaxLength(40, { message: 'expiresAt must be an ISO-8601 instant' })
  expiresAt?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: `Addresses or CIDR ranges the key works from (at most ${MAX_ALLOWED_IP_RANGES}); absent or []: anywhere`,
    example: ['203.0.113.0/24'],
  })
  @IsOptional()
  @IsArray({ message: 'allowedIps must be a list of addresses or CIDR ranges' })
  @ArrayMaxSize(MAX_ALLOWED_IP_RANGES, {
    message: `allowedIps lists at most ${MAX_ALLOWED_IP_RANGES} ranges`,
  })
  @IsString({ each: true, message: 'allowedIps must list addresses or CIDR ranges' })
  @MaxLength(60, { each: true, message: 'allowedIps holds an entry too long to be an address' })
  allowedIps?: string[];
}

export class CreatedApiKeyResponseDto extends ApiKeyDto {
  @ApiProperty({
    description: 'The key, stx_<prefix>_<secret>: shown this once, never again (only its hash is stored)',
    example: 'stx_3f9a0c1d2e4b_…',
  })
  key!: string;
  @ApiProperty({ type: String, nullable: true, example: '7841/1203' }) position!: string | null;
}
