import { ApiProperty } from '@nestjs/swagger';
import { MAX_SSH_KEY_NAME_LENGTH, MAX_SSH_PUBLIC_KEY_LENGTH } from '@stratus/domain';
import { IsString, MaxLength } from 'class-validator';
import { SshKeyDto } from '../../shared/ssh-key.dto';

export class AddSshKeyRequestDto {
  @ApiProperty({ example: 'Laptop', minLength: 1, maxLength: MAX_SSH_KEY_NAME_LENGTH })
  @IsString({ message: 'name must be a string' })
  @MaxLength(MAX_SSH_KEY_NAME_LENGTH * 4, {
    message: `name must be at most ${MAX_SSH_KEY_NAME_LENGTH} characters`,
  })
  name!: string;

  @ApiProperty({
    example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJCB+bQQo8irX8fSVqyeIIhL8roXbNGuftdFzGtyq1GZ ada@laptop',
    maxLength: MAX_SSH_PUBLIC_KEY_LENGTH,
    description:
      'One OpenSSH public key line (the content of a .pub file): ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of at least 2048 bits',
  })
  @IsString({ message: 'publicKey must be a string' })
  @MaxLength(MAX_SSH_PUBLIC_KEY_LENGTH * 2, {
    message: `publicKey must be at most ${MAX_SSH_PUBLIC_KEY_LENGTH} characters`,
  })
  publicKey!: string;
}

export class SshKeyAddedResponseDto {
  @ApiProperty({ type: SshKeyDto }) key!: SshKeyDto;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
