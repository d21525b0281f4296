import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { LinkTokenRequestDto } from '../../shared/link-token.request.dto';

export class ResetPasswordRequestDto extends LinkTokenRequestDto {
  @ApiProperty({ minLength: 10, maxLength: 200, description: 'The new password' })
  @IsString({ message: 'password must be a string' })
  @Length(10, 200, { message: 'password must be 10 to 200 characters' })
  password!: string;
}
