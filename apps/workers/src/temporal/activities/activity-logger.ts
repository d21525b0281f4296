import { activityContext, type ActivityLogger } from './activity-support';

/**
 * Inside an activity, every entry carries the activity's correlation (its workflow id, like the events it
 * appends) and causation (run/activity); elsewhere the entry is written as given.
 */
export function withActivityContext(log: ActivityLogger): ActivityLogger {
  const fields = (given: Record<string, unknown> = {}): Record<string, unknown> => {
    const { correlationId, causationId } = activityContext();
    return correlationId === 'workers' ? given : { correlationId, causationId, ...given };
  };
  return {
    info: (message, given) => log.info(message, fields(given)),
    warn: (message, given) => log.warn(message, fields(given)),
    error: (message, given) => log.error(message, fields(given)),
  };
}
