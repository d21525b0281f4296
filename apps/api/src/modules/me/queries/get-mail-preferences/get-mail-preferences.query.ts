import { Query } from '@nestjs/cqrs';
import type { MailPreferencesDto } from './mail-preferences.dto';

/** The signed-in user's mail preferences: which optional mails they get. */
export class GetMailPreferencesQuery extends Query<MailPreferencesDto> {
  constructor(readonly userId: string) {
    super();
  }
}
