import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ChangePasswordRequestDto {
  @ApiProperty({ maxLength: 200 })
  @IsString({ message: 'currentPassword must be a string' })
  @Length(1, 200, { message: 'currentPassword must be 1 to 200 characters' })
  currentPassword!: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString({ message: 'newPassword must be a string' })
  @Length(10, 200, { message: 'newPassword must be 10 to 200 characters' })
  newPassword!: string;
}
