import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { UserDto } from '../../user.dto';

export class RegisterRequestDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be a valid address such as name@example.com' })
  email!: string;

  @ApiProperty({ minLength: 10, maxLength: 200, example: 'correct horse battery staple' })
  @IsString({ message: 'password must be a string' })
  @Length(10, 200, { message: 'password must be 10 to 200 characters' })
  password!: string;

  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;
}

export class RegisteredOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'owner' }) role!: string;
}

export class RegisterResponseDto {
  @ApiProperty({ description: 'Session token (HS256 JWT); send as Authorization: Bearer <token>' })
  token!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: RegisteredOrganizationDto }) organization!: RegisteredOrganizationDto;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
