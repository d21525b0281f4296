import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '../../../../shared/errors/api-error';
import { ConsoleAccess } from '../../shared/console-access.service';
import { CONSOLE_CLOSE, ConsoleRefusal } from '../../shared/console-refusal';
import { ConsoleTickets } from '../../shared/console-tickets.service';
import { CreateConsoleTicketCommand, type CreateConsoleTicketResult } from './create-console-ticket.command';

/**
 * A ticket for one console session. Membership and vps_manage were checked by the route's guard; the server
 * must exist in the organization (else 404, other tenants' ids alike) and be active (else 409). The same
 * checks run again when the ticket is presented on the WebSocket.
 */
@CommandHandler(CreateConsoleTicketCommand)
export class CreateConsoleTicketHandler implements ICommandHandler<
  CreateConsoleTicketCommand,
  CreateConsoleTicketResult
> {
  constructor(
    private readonly access: ConsoleAccess,
    private readonly tickets: ConsoleTickets,
  ) {}

  async execute(command: CreateConsoleTicketCommand): Promise<CreateConsoleTicketResult> {
    let vpsId: string;
    try {
      vpsId = (await this.access.requireActiveServer(command.organizationId, command.vpsId)).vpsId;
    } catch (error) {
      if (!(error instanceof ConsoleRefusal)) throw error;
      if (error.code === CONSOLE_CLOSE.serverNotRunning) {
        throw new ApiError(409, 'vps_not_active', `The console needs a running server: the ${error.reason}`, {
          vpsId: command.vpsId,
        });
      }
      throw new ApiError(404, 'vps_not_found', 'Server not found');
    }
    const issued = await this.tickets.issue({
      userId: command.user.userId,
      platformRole: command.user.platformRole,
      organizationId: command.organizationId,
      vpsId,
      ...(command.user.impersonatorId ? { impersonatorId: command.user.impersonatorId } : {}),
      ...(command.user.apiKey ? { apiKeyId: command.user.apiKey.keyId } : {}),
    });
    if (!issued) {
      throw new ApiError(
        429,
        'too_many_tickets',
        'Too many unused console tickets; use or let them expire first',
      );
    }
    return issued;
  }
}
