import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { billingProfileDecider, billingProfileOf, streams } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import {
  UpdateBillingProfileCommand,
  type UpdateBillingProfileResult,
} from './update-billing-profile.command';

@CommandHandler(UpdateBillingProfileCommand)
export class UpdateBillingProfileHandler implements ICommandHandler<
  UpdateBillingProfileCommand,
  UpdateBillingProfileResult
> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: UpdateBillingProfileCommand): Promise<UpdateBillingProfileResult> {
    const { organizationId, profile } = command;
    const result = await this.executor.execute({
      streamId: streams.billingProfile(organizationId),
      decider: billingProfileDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'UpdateBillingProfile' as const,
        data: {
          organizationId,
          legalName: profile.legalName,
          address: profile.address,
          country: profile.country,
          taxId: profile.taxId ?? null,
        },
        metadata,
      }),
    });
    return { profile: billingProfileOf(result.state)!, position: result.position };
  }
}
