import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider, streams } from '@stratus/domain';
import { v4 as uuidv4 } from 'uuid';
import { CommandExecutor } from '@stratus/eventstore';
import { openWallet } from '@stratus/infra';
import { CreateOrganizationCommand, type CreateOrganizationResult } from './create-organization.command';

@CommandHandler(CreateOrganizationCommand)
export class CreateOrganizationHandler implements ICommandHandler<
  CreateOrganizationCommand,
  CreateOrganizationResult
> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: CreateOrganizationCommand): Promise<CreateOrganizationResult> {
    const organizationId = command.organizationId ?? uuidv4();
    const created = await this.executor.execute({
      streamId: streams.organization(organizationId),
      decider: organizationDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'CreateOrganization' as const,
        data: { organizationId, name: command.name, ownerUserId: command.ownerUserId },
        metadata,
      }),
    });
    // Two streams, two appends: if the process dies in between, the organization exists without a
    // wallet; opening it is idempotent, so the admin credit opens it on first use.
    const wallet = await openWallet(this.executor, organizationId, command.context);
    const state = created.state;
    return {
      organizationId,
      name: state.status === 'active' ? state.name : command.name,
      position: wallet.position ?? created.position,
    };
  }
}
