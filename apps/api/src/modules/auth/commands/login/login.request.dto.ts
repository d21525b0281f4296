import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { UserDto } from '../../user.dto';

export class LoginRequestDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email!: string;

  @ApiProperty()
  @IsString({ message: 'password must be a string' })
  @Length(1, 200, { message: 'password must be 1 to 200 characters' })
  password!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Session token (HS256 JWT)' }) token!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

/** The password was right and the user has 2FA on: finish with POST /api/auth/login/mfa. */
export class MfaRequiredResponseDto {
  @ApiProperty({ enum: [true] }) mfaRequired!: true;
  @ApiProperty({
    description:
      'Names this sign-in for POST /api/auth/login/mfa only (not a session token); valid 5 minutes',
  })
  mfaToken!: string;
}
