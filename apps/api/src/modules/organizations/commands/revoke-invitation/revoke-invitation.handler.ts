import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { runOrganizationCommand } from '../../shared/organization-command';
import { RevokeInvitationCommand } from './revoke-invitation.command';

@CommandHandler(RevokeInvitationCommand)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitationCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: RevokeInvitationCommand) {
    const { position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'RevokeInvitation',
      { invitationId: command.invitationId },
    );
    return { invitationId: command.invitationId, position };
  }
}
