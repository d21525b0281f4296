import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

/** A new pending TOTP secret for the signed-in user (replacing any earlier pending one). */
export class SetupTwoFactorCommand extends Command<TwoFactorSetup> {
  constructor(
    readonly userId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
