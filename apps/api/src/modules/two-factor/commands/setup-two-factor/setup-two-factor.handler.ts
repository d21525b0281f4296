import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { TwoFactorSecrets } from '../../two-factor-secrets.service';
import { SetupTwoFactorCommand, type TwoFactorSetup } from './setup-two-factor.command';

@CommandHandler(SetupTwoFactorCommand)
export class SetupTwoFactorHandler implements ICommandHandler<SetupTwoFactorCommand, TwoFactorSetup> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly secrets: TwoFactorSecrets,
  ) {}

  async execute({ userId, context }: SetupTwoFactorCommand): Promise<TwoFactorSetup> {
    const secret = this.secrets.newSecret();
    const sealedSecret = this.secrets.seal(secret, 'TwoFactorSetupStarted', userId);
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'StartTwoFactorSetup' as const,
        data: { sealedSecret },
        metadata,
      }),
    });
    const email = result.state.status === 'registered' ? result.state.email : userId;
    const otpauthUrl = this.secrets.otpauthUrl(secret, email);
    return { secret, otpauthUrl, qrSvg: await this.secrets.qrSvg(otpauthUrl) };
  }
}
