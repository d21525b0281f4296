import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface RegisterResult {
  user: { userId: string; email: string; name: string; platformRole: 'admin' | 'customer' };
  organization: { organizationId: string; name: string } | null;
  position: Position | null;
}

/**
 * Claims the email, registers the user and, for customers, creates their first organization (owner)
 * with its wallet and makes it the active one.
 */
export class RegisterCommand extends Command<RegisterResult> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly name: string,
    readonly context: CommandContext,
    readonly options: { platformRole?: 'admin' | 'customer'; createOrganization?: boolean } = {},
  ) {
    super();
  }
}
