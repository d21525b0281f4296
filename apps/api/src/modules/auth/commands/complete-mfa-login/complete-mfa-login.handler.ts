import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider, type TwoFactorProof } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../../../../shared/errors/api-error';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import type { LoginResult } from '../login/login.command';
import { MfaTokens } from '../../../two-factor/mfa-tokens.service';
import { throwIfRefused } from '../../../two-factor/two-factor-refusal';
import { TwoFactorSecrets } from '../../../two-factor/two-factor-secrets.service';
import { CompleteMfaLoginCommand } from './complete-mfa-login.command';

@CommandHandler(CompleteMfaLoginCommand)
export class CompleteMfaLoginHandler implements ICommandHandler<CompleteMfaLoginCommand, LoginResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly tokens: MfaTokens,
    private readonly secrets: TwoFactorSecrets,
  ) {}

  async execute({ mfaToken, proof, context }: CompleteMfaLoginCommand): Promise<LoginResult> {
    const { userId, challengeId } = this.tokens.verify(mfaToken);
    const before = await this.users.load(userId);
    if (before.status !== 'registered')
      throw ApiError.unauthorized('This sign-in is no longer valid', 'invalid_mfa_token');
    context.actingAs(userId, before.platformRole);
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (state, metadata) => {
        let twoFactorProof: TwoFactorProof;
        if ('recoveryCode' in proof) {
          twoFactorProof = {
            kind: 'recovery_code',
            codeHash: this.secrets.recoveryCodeHash(proof.recoveryCode),
          };
        } else {
          const secret =
            state.status === 'registered' && state.twoFactor.status === 'enabled'
              ? this.secrets.open(state.twoFactor.sealedSecret, 'TwoFactorEnabled', userId)
              : null;
          twoFactorProof = {
            kind: 'code',
            timeStep: secret ? this.secrets.matchingTimeStep(secret, proof.code, metadata.now) : null,
          };
        }
        return {
          type: 'CompleteTwoFactorChallenge' as const,
          data: { challengeId, proof: twoFactorProof },
          metadata,
        };
      },
    });
    throwIfRefused(result.events);
    const user = result.state;
    if (user.status !== 'registered') throw new Error('CompleteTwoFactorChallenge left no registered user');
    return { userId: user.userId, email: user.email, name: user.name, platformRole: user.platformRole };
  }
}
