import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { TwoFactorSecrets } from '../../two-factor-secrets.service';
import { EnableTwoFactorCommand } from './enable-two-factor.command';

@CommandHandler(EnableTwoFactorCommand)
export class EnableTwoFactorHandler implements ICommandHandler<EnableTwoFactorCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly secrets: TwoFactorSecrets,
  ) {}

  async execute({ userId, code, context }: EnableTwoFactorCommand) {
    const recovery = this.secrets.newRecoveryCodes();
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (state, metadata) => {
        // Checked against the pending secret the stream holds now (again on a retry); the decider says what
        // a missing setup or a wrong code means.
        const pending =
          state.status === 'registered' && state.twoFactor.status === 'pending'
            ? this.secrets.open(state.twoFactor.sealedPendingSecret, 'TwoFactorSetupStarted', userId)
            : null;
        return {
          type: 'EnableTwoFactor' as const,
          data: {
            sealedSecret: pending ? this.secrets.seal(pending, 'TwoFactorEnabled', userId) : '',
            recoveryCodeHashes: recovery.hashes,
            timeStep: pending ? this.secrets.matchingTimeStep(pending, code, metadata.now) : null,
          },
          metadata,
        };
      },
    });
    return { recoveryCodes: recovery.codes, position: result.position };
  }
}
