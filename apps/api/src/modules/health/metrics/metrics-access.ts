import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiConfig } from '../../../shared/config/api-config';

export type MetricsAccess = 'allowed' | 'unauthorized' | 'disabled';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape /metrics: with METRICS_TOKEN only `Authorization: Bearer <token>` (compared in constant
 * time); without it the endpoint is open outside production (npm start, tests) and off in production.
 */
export function metricsAccess(
  config: Pick<ApiConfig, 'nodeEnv' | 'metricsToken'>,
  authorization: string | undefined,
): MetricsAccess {
  if (!config.metricsToken) return config.nodeEnv === 'production' ? 'disabled' : 'allowed';
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  if (!match) return 'unauthorized';
  return timingSafeEqual(digest(match[1]), digest(config.metricsToken)) ? 'allowed' : 'unauthorized';
}
