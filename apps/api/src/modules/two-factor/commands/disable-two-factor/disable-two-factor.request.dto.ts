import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';

export class DisableTwoFactorRequestDto {
  @ApiProperty()
  @IsString({ message: 'password must be a string' })
  @Length(1, 200, { message: 'password must be 1 to 200 characters' })
  password!: string;

  @ApiProperty({ example: '123456', description: 'A current code from the authenticator app' })
  @IsString({ message: 'code must be a string' })
  @MaxLength(20, { message: 'code must be at most 20 characters' })
  code!: string;
}
