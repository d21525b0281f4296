import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_VPS_SSH_KEYS } from '@stratus/domain';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { VpsLabelProperty } from '../../shared/vps-label.property';

const PROVIDER_ID = /^[a-z0-9][a-z0-9._/-]{0,99}$/;

export class CreateVpsRequestDto {
  @VpsLabelProperty()
  label!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'planId must be a plan id (uuid)' })
  planId!: string;

  @ApiProperty({ example: 'us-east' })
  @IsString({ message: 'region must be a string' })
  @Matches(PROVIDER_ID, { message: 'region must be a region id such as "us-east"' })
  region!: string;

  @ApiProperty({ example: 'linode/debian12' })
  @IsString({ message: 'image must be a string' })
  @Matches(PROVIDER_ID, { message: 'image must be an image id such as "linode/debian12"' })
  image!: string;

  @ApiProperty({
    format: 'password',
    writeOnly: true,
    minLength: 12,
    maxLength: 128,
    description:
      'At least three of: lowercase, uppercase, digits, symbols. Encrypted at rest, never returned.',
  })
  @IsString({ message: 'rootPassword must be a string' })
  @MaxLength(1000, { message: 'rootPassword must be at most 128 characters' })
  rootPassword!: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_VPS_SSH_KEYS })
  @IsOptional()
  @IsArray({ message: 'sshKeyIds must be an array of ssh key ids' })
  @ArrayMaxSize(MAX_VPS_SSH_KEYS, { message: `sshKeyIds must list at most ${MAX_VPS_SSH_KEYS} keys` })
  @ArrayUnique({ message: 'sshKeyIds must not repeat a key' })
  @IsString({ each: true, message: 'sshKeyIds must be ssh key ids' })
  @Length(1, 100, { each: true, message: 'sshKeyIds must be ssh key ids of 1 to 100 characters' })
  sshKeyIds?: string[];

  @ApiPropertyOptional({ default: false, description: 'Provider backups (adds the plan’s backup upcharge)' })
  @IsOptional()
  @IsBoolean({ message: 'backups must be true or false' })
  backups?: boolean;
}

export class VpsAcceptedResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['provisioning'] }) status!: 'provisioning';
  @ApiProperty({ example: 'vps-provisioning-…' }) workflowId!: string;
  @ApiProperty({ example: '0.010958', description: 'Fixed for the life of the server' }) hourlyPrice!: string;
  @ApiProperty({ example: '8.000000' }) monthlyPrice!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
