import { Module } from '@nestjs/common';
import { GetMailOutboxHandler } from './queries/get-mail-outbox/get-mail-outbox.handler';
import { GetMailOutboxHttpController } from './queries/get-mail-outbox/get-mail-outbox.http.controller';

/** Staff's view of the mail the workers send (README "Mail"): platform role admin. */
@Module({ controllers: [GetMailOutboxHttpController], providers: [GetMailOutboxHandler] })
export class AdminMailModule {}
