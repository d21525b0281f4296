import { twoFactorAttemptError, type UserEvent } from '@stratus/domain';

/**
 * A refused second-factor attempt is recorded (TwoFactorAttemptFailed, so attempts stay limited) and then
 * answered as the error it is; throws that error when `events` hold one.
 */
export function throwIfRefused(events: readonly UserEvent[]): void {
  for (const event of events) {
    if (event.type === 'TwoFactorAttemptFailed') throw twoFactorAttemptError(event.data.reason);
  }
}
