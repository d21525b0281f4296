import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { PositionedResponseDto } from '../../../../shared/http/command-response.dto';

export class EnableTwoFactorRequestDto {
  @ApiProperty({ example: '123456', description: 'A current code from the authenticator app' })
  @IsString({ message: 'code must be a string' })
  @MaxLength(20, { message: 'code must be at most 20 characters' })
  code!: string;
}

export class EnableTwoFactorResponseDto extends PositionedResponseDto {
  @ApiProperty({
    type: [String],
    example: ['abcde-fghjk'],
    description: 'Ten one-time recovery codes; shown this once, stored only as digests',
  })
  recoveryCodes!: string[];
}
