import { Command } from '@nestjs/cqrs';
import type { AuthenticatedUser } from '../../../../shared/auth/authenticated-user';

export interface CreateConsoleTicketResult {
  ticket: string;
  expiresAt: Date;
}

export class CreateConsoleTicketCommand extends Command<CreateConsoleTicketResult> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly user: AuthenticatedUser,
  ) {
    super();
  }
}
