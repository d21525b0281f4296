import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface StartedImpersonation {
  token: string;
  sessionId: string;
  expiresAt: Date;
  user: { userId: string; email: string; name: string; platformRole: 'admin' | 'customer' };
  position: Position | null;
}

/** A platform admin (the context's actor) opens a session as `userId`, for `reason`. */
export class StartImpersonationCommand extends Command<StartedImpersonation> {
  constructor(
    readonly userId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
