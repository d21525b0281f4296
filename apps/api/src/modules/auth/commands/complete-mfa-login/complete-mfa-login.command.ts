import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { LoginResult } from '../login/login.command';

/** The second step of a sign-in: the mfaToken from the password step and a code or a recovery code. */
export class CompleteMfaLoginCommand extends Command<LoginResult> {
  constructor(
    readonly mfaToken: string,
    readonly proof: { code: string } | { recoveryCode: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}
