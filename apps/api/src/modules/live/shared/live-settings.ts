import { CONFIG_SCHEMA, type VariableSpec } from '@stratus/infra';
import type { ApiConfig, LiveConfig } from '../../../shared/config/api-config';

export const LIVE_SETTINGS = Symbol('LIVE_SETTINGS');
export type LiveSettings = LiveConfig;

/** Fixed by the protocol, not configuration. Messages are tiny JSON objects ({type, organizationId}). */
export const LIVE_MAX_MESSAGE_BYTES = 1024;
/** Messages a socket may send at once, then this many a second (a page subscribes to one organization). */
export const LIVE_MESSAGE_BURST = 30;
export const LIVE_MESSAGES_PER_SECOND = 5;

/** `config.live` (from the validated environment, or a test's overrides) over the schema's defaults. */
export function resolveLiveSettings(config: ApiConfig): LiveSettings {
  return {
    maxSocketsPerUser:
      config.live?.maxSocketsPerUser ??
      Number((CONFIG_SCHEMA.LIVE_MAX_SOCKETS_PER_USER as VariableSpec).default),
  };
}
