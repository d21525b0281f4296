import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { ACTIVITY_FAILURE_TYPES } from './activities';

/** The provider refused for good (a 4xx other than 429): repeating the call would be refused again. */
export function isFinalProviderFailure(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === ACTIVITY_FAILURE_TYPES.providerFinal
  );
}

/** A failure as the reason recorded on the server's stream: which step failed and why (at most 1,000 characters). */
export function describeFailure(error: unknown): string {
  if (error instanceof ActivityFailure) {
    const cause = error.cause;
    const detail = cause ? `${cause.message}` : error.message;
    return `${error.activityType ?? 'activity'} failed: ${detail}`.slice(0, 1000);
  }
  return error instanceof Error ? error.message.slice(0, 1000) : String(error);
}
