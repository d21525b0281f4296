import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InvitationDeclined } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { InvitationLinks } from '../../shared/invitation-links';
import { runOrganizationCommand } from '../../shared/organization-command';
import { DeclineInvitationCommand, type InvitationAnswered } from './decline-invitation.command';

@CommandHandler(DeclineInvitationCommand)
export class DeclineInvitationHandler implements ICommandHandler<DeclineInvitationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly links: InvitationLinks,
  ) {}

  async execute(command: DeclineInvitationCommand): Promise<InvitationAnswered> {
    const { organizationId, opener } = await this.links.open(command.token, command.userId);
    const { state, events, position } = await runOrganizationCommand(
      this.executor,
      organizationId,
      command.context,
      'DeclineInvitation',
      { ...opener, userId: command.userId },
    );
    const declined = events.find((e): e is InvitationDeclined => e.type === 'InvitationDeclined')!;
    return {
      invitationId: declined.data.invitationId,
      organizationId,
      organizationName: state.status === 'active' ? state.name : '',
      answer: 'declined',
      position,
    };
  }
}
