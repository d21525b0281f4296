import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { PasswordHasher } from '../../../auth/password-hasher.service';
import { throwIfRefused } from '../../two-factor-refusal';
import { TwoFactorSecrets } from '../../two-factor-secrets.service';
import { DisableTwoFactorCommand } from './disable-two-factor.command';

@CommandHandler(DisableTwoFactorCommand)
export class DisableTwoFactorHandler implements ICommandHandler<DisableTwoFactorCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly hasher: PasswordHasher,
    private readonly secrets: TwoFactorSecrets,
  ) {}

  async execute({ userId, password, code, context }: DisableTwoFactorCommand) {
    // The hash check is slow (argon2), so it runs before the command, against the stream as read now.
    const user = await this.users.load(userId);
    const passwordValid =
      user.status === 'registered' && (await this.hasher.verify(user.passwordHash, password));
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (state, metadata) => ({
        type: 'DisableTwoFactor' as const,
        data: {
          passwordValid,
          timeStep:
            state.status === 'registered' && state.twoFactor.status === 'enabled'
              ? this.secrets.matchingTimeStep(
                  this.secrets.open(state.twoFactor.sealedSecret, 'TwoFactorEnabled', userId),
                  code,
                  metadata.now,
                )
              : null,
        },
        metadata,
      }),
    });
    throwIfRefused(result.events);
    return { position: result.position };
  }
}
