import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** The token of a mailed link (`?token=` of /verify-email or /reset-password). */
export class LinkTokenRequestDto {
  @ApiProperty({ description: 'The token from the mailed link', maxLength: 200 })
  @IsString({ message: 'token must be a string' })
  @Length(1, 200, { message: 'token must be 1 to 200 characters' })
  token!: string;
}
