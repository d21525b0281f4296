import type { Decider } from '../shared/decider';
import type { UserCommand } from './user.commands';
import { decideUser } from './user.decide';
import type { UserEvent } from './user.events';
import { evolveUser, initialUserState, type UserState } from './user.state';

export * from './user.commands';
export * from './user.state';
export {
  decideUser,
  IMPERSONATION_MAX_SECONDS,
  isPlatformRole,
  MAX_IMPERSONATION_REASON_LENGTH,
  MAX_USER_NAME_LENGTH,
  PLATFORM_ROLES,
} from './user.decide';
export {
  MAX_CHALLENGE_ATTEMPTS,
  RECOVERY_CODE_COUNT,
  TOTP_PERIOD_SECONDS,
  TOTP_WINDOW_STEPS,
  totpTimeStep,
  TWO_FACTOR_CHALLENGE_TTL_SECONDS,
  TWO_FACTOR_FAILURE_WINDOW_SECONDS,
  twoFactorAttemptError,
  twoFactorRetryAfterSeconds,
} from './user.two-factor';

/** A user's stream: commands (user.commands), state and evolve (user.state), decide (user.decide). */
export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};
