import { ApiProperty } from '@nestjs/swagger';
import { OPTIONAL_MAILS, REQUIRED_MAILS, type OptionalMail } from '@stratus/domain';

const OPTIONAL_MAIL_NAMES = Object.keys(OPTIONAL_MAILS);
const REQUIRED_MAIL_NAMES = Object.keys(REQUIRED_MAILS);

export class OptionalMailPreferenceDto {
  @ApiProperty({ enum: OPTIONAL_MAIL_NAMES, example: 'low_balance' }) mail!: string;
  @ApiProperty({ description: 'What the mail is about' }) description!: string;
  @ApiProperty({ description: 'The user gets this mail (false: turned off)' }) subscribed!: boolean;
}

export class RequiredMailDto {
  @ApiProperty({ enum: REQUIRED_MAIL_NAMES, example: 'password_reset' }) mail!: string;
  @ApiProperty({ description: 'What the mail is about' }) description!: string;
}

export class MailPreferencesDto {
  @ApiProperty({ type: [OptionalMailPreferenceDto], description: 'The mails the user may turn off' })
  optional!: OptionalMailPreferenceDto[];
  @ApiProperty({ type: [RequiredMailDto], description: 'Security and account mails: always sent' })
  alwaysSent!: RequiredMailDto[];
}

/** The preferences as the API shows them, from the optional mails turned off. */
export function mailPreferencesView(optedOut: readonly OptionalMail[]): MailPreferencesDto {
  return {
    optional: Object.entries(OPTIONAL_MAILS).map(([mail, description]) => ({
      mail,
      description,
      subscribed: !optedOut.includes(mail as OptionalMail),
    })),
    alwaysSent: Object.entries(REQUIRED_MAILS).map(([mail, description]) => ({ mail, description })),
  };
}
