import { CONFIG_SCHEMA, type VariableSpec } from '@stratus/infra';
import { hostname } from 'node:os';
import type { ApiConfig, ConsoleConfig } from '../../../shared/config/api-config';

export const CONSOLE_SETTINGS = Symbol('CONSOLE_SETTINGS');
/** Fixed by the protocol, not configuration: where browsers connect. */
export const CONSOLE_WS_PATH = '/api/console';
/** A ticket is for opening the socket right after it was issued. */
export const CONSOLE_TICKET_TTL_SECONDS = 30;
/** Largest client frame accepted; larger ones close the session with 4413. */
export const CONSOLE_MAX_FRAME_BYTES = 64 * 1024;
/** The first message (the ticket) must arrive this soon after the socket opened. */
export const CONSOLE_AUTH_TIMEOUT_MS = 10_000;
/** How long the SSH handshake and login may take. */
export const CONSOLE_SSH_READY_TIMEOUT_MS = 15_000;

export type ConsoleSettings = ConsoleConfig & {
  /** This API instance, as recorded on the sessions it opens (see consoleInstanceId). */
  instanceId: string;
};

/**
 * `<hostname>:<API_PORT>`: needs no configuration and stays the same when the same instance restarts (same
 * host or container hostname, same port), so that at start-up it finds the sessions its previous run left
 * open; two instances running at once differ in host or port, so neither touches the other's sessions.
 */
export function consoleInstanceId(config: ApiConfig): string {
  return `${hostname()}:${config.http.port}`;
}

const schemaDefault = (key: keyof typeof CONFIG_SCHEMA): string =>
  (CONFIG_SCHEMA[key] as VariableSpec).default ?? '';

/** `config.console` (from the validated environment, or a test's overrides) over the schema's defaults. */
export function resolveConsoleSettings(config: ApiConfig): ConsoleSettings {
  const given = config.console ?? {};
  return {
    allowedOrigins:
      given.allowedOrigins ??
      schemaDefault('CONSOLE_ALLOWED_ORIGINS')
        .split(',')
        .map((o) => o.trim()),
    publicWsUrl: given.publicWsUrl ?? null,
    sshPort: given.sshPort ?? Number(schemaDefault('CONSOLE_SSH_PORT')),
    sshUsername: given.sshUsername ?? schemaDefault('CONSOLE_SSH_USERNAME'),
    idleTimeoutSeconds: given.idleTimeoutSeconds ?? Number(schemaDefault('CONSOLE_IDLE_TIMEOUT_SECONDS')),
    maxSessionsPerUser: given.maxSessionsPerUser ?? Number(schemaDefault('CONSOLE_MAX_SESSIONS_PER_USER')),
    maxSessions: given.maxSessions ?? Number(schemaDefault('CONSOLE_MAX_SESSIONS')),
    instanceId: consoleInstanceId(config),
  };
}
