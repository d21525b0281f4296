import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { CommandExecutor } from '@stratus/eventstore';
import { SelectActiveOrganizationCommand } from './select-active-organization.command';

@CommandHandler(SelectActiveOrganizationCommand)
export class SelectActiveOrganizationHandler implements ICommandHandler<SelectActiveOrganizationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly organizations: OrganizationAccess,
  ) {}

  async execute(command: SelectActiveOrganizationCommand) {
    // Membership from the organization's stream: 404 for a non-member and for an unknown id alike.
    const membership = await this.organizations.requireMembership(command.organizationId, command.userId);
    const result = await this.executor.execute({
      streamId: streams.user(command.userId),
      decider: userDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'SelectActiveOrganization' as const,
        data: { organizationId: membership.organizationId, isMember: true },
        metadata,
      }),
    });
    return { activeOrganizationId: membership.organizationId, position: result.position };
  }
}
