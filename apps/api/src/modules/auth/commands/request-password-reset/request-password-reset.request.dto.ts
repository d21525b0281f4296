import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class RequestPasswordResetRequestDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email!: string;
}
