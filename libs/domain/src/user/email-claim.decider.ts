import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId } from '../shared/validation';
import { requireEmail } from './email';
import type { EmailClaimEvent } from './user.events';

/** Stream `useremail-<email>` (streams.emailClaim): the reservation that keeps emails unique. */
export type ClaimEmail = Command<'ClaimEmail', { email: string; userId: string }>;
export type EmailClaimCommand = ClaimEmail;

export type EmailClaimState = { status: 'unclaimed' } | { status: 'claimed'; email: string; userId: string };

export function initialEmailClaimState(): EmailClaimState {
  return { status: 'unclaimed' };
}

export function decideEmailClaim(command: EmailClaimCommand, state: EmailClaimState): EmailClaimEvent[] {
  switch (command.type) {
    case 'ClaimEmail': {
      const email = requireEmail(command.data.email);
      const userId = requireId(command.data.userId, 'userId');
      switch (state.status) {
        case 'unclaimed':
          return [{ type: 'EmailClaimed', data: { email, userId } }];
        case 'claimed':
          // The same user claiming again is a retried registration: nothing new to record.
          if (state.userId === userId) return [];
          throw new DomainError('conflict', 'email_taken', 'This email address is already registered', {
            field: 'email',
          });
        default:
          return assertNever(state);
      }
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveEmailClaim(state: EmailClaimState, event: EmailClaimEvent): EmailClaimState {
  switch (event.type) {
    case 'EmailClaimed':
      return { status: 'claimed', email: event.data.email, userId: event.data.userId };
    default:
      return assertNever(event.type);
  }
}

export const emailClaimDecider: Decider<EmailClaimState, EmailClaimCommand, EmailClaimEvent> = {
  decide: decideEmailClaim,
  evolve: evolveEmailClaim,
  initialState: initialEmailClaimState,
};
