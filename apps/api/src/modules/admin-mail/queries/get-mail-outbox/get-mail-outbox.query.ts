import { Query } from '@nestjs/cqrs';
import type { MailOutboxDto } from './mail-outbox.dto';

/** The mail outbox for staff: counts by state, failed and unconfirmed mails. */
export class GetMailOutboxQuery extends Query<MailOutboxDto> {}
