import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CompleteMfaLoginRequestDto {
  @ApiProperty({ description: 'The mfaToken POST /api/auth/login answered' })
  @IsString({ message: 'mfaToken must be a string' })
  @Length(1, 2000, { message: 'mfaToken must be 1 to 2000 characters' })
  mfaToken!: string;

  @ApiPropertyOptional({ example: '123456', description: 'A current code from the authenticator app' })
  @IsOptional()
  @IsString({ message: 'code must be a string' })
  @MaxLength(20, { message: 'code must be at most 20 characters' })
  code?: string;

  @ApiPropertyOptional({ example: 'abcde-fghjk', description: 'One of the recovery codes (each works once)' })
  @IsOptional()
  @IsString({ message: 'recoveryCode must be a string' })
  @MaxLength(40, { message: 'recoveryCode must be at most 40 characters' })
  recoveryCode?: string;
}
