import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { InvitationAccepted } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { InvitationLinks } from '../../shared/invitation-links';
import { runOrganizationCommand } from '../../shared/organization-command';
import { AcceptInvitationCommand, type InvitationAnswered } from './accept-invitation.command';

@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly links: InvitationLinks,
  ) {}

  async execute(command: AcceptInvitationCommand): Promise<InvitationAnswered> {
    const { organizationId, opener } = await this.links.open(command.token, command.userId);
    const { state, events, position } = await runOrganizationCommand(
      this.executor,
      organizationId,
      command.context,
      'AcceptInvitation',
      { ...opener, userId: command.userId },
    );
    const accepted = events.find((e): e is InvitationAccepted => e.type === 'InvitationAccepted')!;
    return {
      invitationId: accepted.data.invitationId,
      organizationId,
      organizationName: state.status === 'active' ? state.name : '',
      answer: 'accepted',
      position,
    };
  }
}
