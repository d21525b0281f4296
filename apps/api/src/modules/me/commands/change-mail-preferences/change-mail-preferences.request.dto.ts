import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { OPTIONAL_MAILS } from '@stratus/domain';
import { ArrayMaxSize, IsArray, IsString } from 'class-validator';
import { PositionedResponseDto } from '../../../../shared/http/command-response.dto';
import { MailPreferencesDto } from '../../queries/get-mail-preferences/mail-preferences.dto';

export class ChangeMailPreferencesRequestDto {
  @ApiProperty({
    enum: Object.keys(OPTIONAL_MAILS),
    isArray: true,
    description: 'The optional mails the user does not want (every one not listed is sent); [] turns all on',
    example: ['low_balance'],
  })
  @IsArray({ message: 'optedOut must be a list of mail names' })
  @ArrayMaxSize(50, { message: 'optedOut lists too many mails' })
  @IsString({ each: true, message: 'optedOut must list mail names' })
  optedOut!: string[];
}

export class ChangedMailPreferencesDto extends IntersectionType(MailPreferencesDto, PositionedResponseDto) {}
