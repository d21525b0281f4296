import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_VPS_SSH_KEYS } from '@stratus/domain';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

/** As on creation: the image and keys rules, the root password policy (checked by the controller). */
export class RebuildVpsRequestDto {
  @ApiProperty({ example: 'linode/debian12' })
  @IsString({ message: 'image must be a string' })
  @Matches(/^[a-z0-9][a-z0-9._/-]{0,99}$/, { message: 'image must be an image id such as "linode/debian12"' })
  image!: string;

  @ApiPropertyOptional({
    format: 'password',
    writeOnly: true,
    minLength: 12,
    maxLength: 128,
    description:
      'At least three of: lowercase, uppercase, digits, symbols. Encrypted at rest, never returned. Without it, give sshKeyIds: a strong password nobody is told is generated (the provider requires one).',
  })
  @IsOptional()
  @IsString({ message: 'rootPassword must be a string' })
  @MaxLength(1000, { message: 'rootPassword must be at most 128 characters' })
  rootPassword?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_VPS_SSH_KEYS })
  @IsOptional()
  @IsArray({ message: 'sshKeyIds must be an array of ssh key ids' })
  @ArrayMaxSize(MAX_VPS_SSH_KEYS, { message: `sshKeyIds must list at most ${MAX_VPS_SSH_KEYS} keys` })
  @ArrayUnique({ message: 'sshKeyIds must not repeat a key' })
  @IsString({ each: true, message: 'sshKeyIds must be ssh key ids' })
  @Length(1, 100, { each: true, message: 'sshKeyIds must be ssh key ids of 1 to 100 characters' })
  sshKeyIds?: string[];
}
