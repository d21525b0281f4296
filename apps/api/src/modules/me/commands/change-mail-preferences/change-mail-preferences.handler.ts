import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../../../../shared/errors/api-error';
import { ChangeMailPreferencesCommand } from './change-mail-preferences.command';

@CommandHandler(ChangeMailPreferencesCommand)
export class ChangeMailPreferencesHandler implements ICommandHandler<ChangeMailPreferencesCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: ChangeMailPreferencesCommand) {
    const result = await this.executor.execute({
      streamId: streams.user(command.userId),
      decider: userDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'ChangeMailPreferences' as const,
        data: { optedOut: command.optedOut },
        metadata,
      }),
    });
    if (result.state.status !== 'registered')
      throw ApiError.unauthorized('The session no longer matches a user');
    return { optedOut: result.state.mailOptOuts, position: result.position };
  }
}
