import { instantMillis } from '../catalog/pricing';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { ConsoleEvent } from './console.events';

export const MAX_CONSOLE_CLOSE_REASON_LENGTH = 200;
export const MAX_CONSOLE_USER_AGENT_LENGTH = 256;
export const MAX_CONSOLE_INSTANCE_ID_LENGTH = 300;
/** Reason recorded when an API instance, restarting, closes the sessions its previous run left open. */
export const CONSOLE_API_RESTARTED_REASON = 'api_restarted';
/** OpenSSH's SHA-256 fingerprint form: 32 bytes as unpadded base64. */
export const CONSOLE_FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
const ALGORITHM_PATTERN = /^[a-z0-9@.+-]{1,64}$/;

// ---- commands ----
// The API authorizes who may open a console; the decider checks the console's own rules: one host key
// per server, sessions opened once and closed once, and closed only after they were opened.

export type PinConsoleHostKey = Command<
  'PinConsoleHostKey',
  { vpsId: string; organizationId: string; algorithm: string; fingerprint: string }
>;
export type OpenConsoleSession = Command<
  'OpenConsoleSession',
  {
    sessionId: string;
    userId: string;
    ip: string | null;
    userAgent: string | null;
    /** The API instance holding the session (optional: older callers). */
    instanceId?: string;
  }
>;
export type CloseConsoleSession = Command<
  'CloseConsoleSession',
  { sessionId: string; reason: string; bytesIn: number; bytesOut: number }
>;
/**
 * An API instance, starting, closes a session its previous run left open (crash, SIGKILL, power loss):
 * only a session that instance opened, and only while it is still open.
 */
export type CloseAbandonedConsoleSession = Command<
  'CloseAbandonedConsoleSession',
  { sessionId: string; instanceId: string }
>;
/** The server was rebuilt by operation `operationId` (system): its next host key is pinned anew. */
export type ResetConsoleHostKey = Command<'ResetConsoleHostKey', { vpsId: string; operationId: string }>;
export type ConsoleCommand =
  | PinConsoleHostKey
  | OpenConsoleSession
  | CloseConsoleSession
  | CloseAbandonedConsoleSession
  | ResetConsoleHostKey;

// ---- state ----

export interface ConsoleSessionInfo {
  userId: string;
  openedAt: string;
  /** null: opened before instances were recorded. */
  instanceId: string | null;
}
/** No host key seen yet: nothing can be opened before the server's key is pinned. */
export type UnpinnedConsole = { status: 'unpinned' };
/** Host key pinned; sessions open right now (closed ones are only in the stream). */
export type PinnedConsole = {
  status: 'pinned';
  vpsId: string;
  organizationId: string;
  hostKey: { algorithm: string; fingerprint: string };
  openSessions: Readonly<Record<string, ConsoleSessionInfo>>;
  /** The rebuild that last reset the key (a repeated reset for it records nothing). */
  lastResetBy?: string;
};
/**
 * The server was rebuilt: the key pinned before is gone; the next one shown is pinned. Sessions opened before
 * the rebuild are still closed (and audited) here.
 */
export type ResetConsole = {
  status: 'reset';
  vpsId: string;
  openSessions: Readonly<Record<string, ConsoleSessionInfo>>;
  lastResetBy: string;
};
export type ConsoleState = UnpinnedConsole | PinnedConsole | ResetConsole;

// ---- validation ----

function invalid(reason: string, field: string, message: string): DomainError {
  return new DomainError('validation', reason, message, { field });
}

function requireAlgorithm(value: unknown): string {
  if (typeof value !== 'string' || !ALGORITHM_PATTERN.test(value)) {
    throw invalid('invalid_algorithm', 'algorithm', 'algorithm must be an SSH key type such as ssh-ed25519');
  }
  return value;
}

function requireFingerprint(value: unknown): string {
  if (typeof value !== 'string' || !CONSOLE_FINGERPRINT_PATTERN.test(value)) {
    throw invalid(
      'invalid_fingerprint',
      'fingerprint',
      'fingerprint must be "SHA256:" and 43 base64 characters',
    );
  }
  return value;
}

function requireByteCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(
      `invalid_${field === 'bytesIn' ? 'bytes_in' : 'bytes_out'}`,
      field,
      `${field} must be a whole number ≥ 0`,
    );
  }
  return value;
}

function requireInstanceId(value: unknown): string {
  return requireText(value, 'instanceId', 'invalid_instance_id', MAX_CONSOLE_INSTANCE_ID_LENGTH);
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length > max) {
    throw invalid(
      `invalid_${field === 'ip' ? 'ip' : 'user_agent'}`,
      field,
      `${field} must be null or at most ${max} characters`,
    );
  }
  return value;
}

// ---- decide ----

function pinHostKey(command: PinConsoleHostKey, state: ConsoleState): ConsoleEvent[] {
  const vpsId = requireId(command.data.vpsId, 'vpsId');
  const organizationId = requireId(command.data.organizationId, 'organizationId');
  const algorithm = requireAlgorithm(command.data.algorithm);
  const fingerprint = requireFingerprint(command.data.fingerprint);
  switch (state.status) {
    case 'unpinned':
    case 'reset':
      return [{ type: 'ConsoleHostKeyPinned', data: { vpsId, organizationId, algorithm, fingerprint } }];
    case 'pinned':
      if (state.hostKey.algorithm === algorithm && state.hostKey.fingerprint === fingerprint) return [];
      // Trust on first use: a different key later is a re-installed server or a man in the middle.
      throw new DomainError(
        'conflict',
        'host_key_changed',
        `The server's SSH host key changed (pinned ${state.hostKey.algorithm} ${state.hostKey.fingerprint}, presented ${algorithm} ${fingerprint})`,
        { pinned: state.hostKey, presented: { algorithm, fingerprint } },
      );
    default:
      return assertNever(state);
  }
}

function openSession(command: OpenConsoleSession, state: ConsoleState): ConsoleEvent[] {
  const sessionId = requireId(command.data.sessionId, 'sessionId');
  const userId = requireId(command.data.userId, 'userId');
  const ip = optionalText(command.data.ip, 'ip', 64);
  const userAgent = optionalText(command.data.userAgent, 'userAgent', MAX_CONSOLE_USER_AGENT_LENGTH);
  const instanceId =
    command.data.instanceId === undefined ? undefined : requireInstanceId(command.data.instanceId);
  switch (state.status) {
    case 'unpinned':
    case 'reset':
      throw new DomainError(
        'conflict',
        'host_key_not_pinned',
        'A console session opens only after the server’s host key was pinned',
      );
    case 'pinned':
      if (state.openSessions[sessionId]) return [];
      return [
        {
          type: 'ConsoleSessionOpened',
          data: {
            sessionId,
            vpsId: state.vpsId,
            organizationId: state.organizationId,
            userId,
            ip,
            userAgent,
            openedAt: command.metadata.now,
            ...(instanceId === undefined ? {} : { instanceId }),
          },
        },
      ];
    default:
      return assertNever(state);
  }
}

function closeSession(command: CloseConsoleSession, state: ConsoleState): ConsoleEvent[] {
  const sessionId = requireId(command.data.sessionId, 'sessionId');
  const reason = requireText(
    command.data.reason,
    'reason',
    'invalid_reason',
    MAX_CONSOLE_CLOSE_REASON_LENGTH,
  );
  const bytesIn = requireByteCount(command.data.bytesIn, 'bytesIn');
  const bytesOut = requireByteCount(command.data.bytesOut, 'bytesOut');
  const session = state.status !== 'unpinned' ? state.openSessions[sessionId] : undefined;
  if (state.status === 'unpinned' || !session) {
    throw new DomainError('conflict', 'session_not_open', 'This console session is not open', { sessionId });
  }
  const elapsedMs = instantMillis(command.metadata.now, 'now') - instantMillis(session.openedAt, 'openedAt');
  return [
    {
      type: 'ConsoleSessionClosed',
      data: {
        sessionId,
        vpsId: state.vpsId,
        reason,
        durationSeconds: Math.max(0, Math.floor(elapsedMs / 1000)),
        bytesIn,
        bytesOut,
      },
    },
  ];
}

function closeAbandonedSession(command: CloseAbandonedConsoleSession, state: ConsoleState): ConsoleEvent[] {
  const sessionId = requireId(command.data.sessionId, 'sessionId');
  const instanceId = requireInstanceId(command.data.instanceId);
  const session = state.status !== 'unpinned' ? state.openSessions[sessionId] : undefined;
  if (state.status === 'unpinned' || !session) {
    throw new DomainError('conflict', 'session_not_open', 'This console session is not open', { sessionId });
  }
  if (session.instanceId !== instanceId) {
    // Another instance may still be serving it: only the instance that opened a session closes it for it.
    throw new DomainError(
      'conflict',
      'session_of_another_instance',
      'This console session was opened by another API instance',
      { sessionId, instanceId: session.instanceId },
    );
  }
  const elapsedMs = instantMillis(command.metadata.now, 'now') - instantMillis(session.openedAt, 'openedAt');
  return [
    {
      type: 'ConsoleSessionClosed',
      data: {
        sessionId,
        vpsId: state.vpsId,
        reason: CONSOLE_API_RESTARTED_REASON,
        durationSeconds: Math.max(0, Math.floor(elapsedMs / 1000)),
        bytesIn: 0,
        bytesOut: 0,
        durationIsUpperBound: true,
        bytesUnknown: true,
      },
    },
  ];
}

function resetHostKey(command: ResetConsoleHostKey, state: ConsoleState): ConsoleEvent[] {
  const vpsId = requireId(command.data.vpsId, 'vpsId');
  const operationId = requireId(command.data.operationId, 'operationId');
  switch (state.status) {
    case 'unpinned':
      return []; // nothing pinned: the first connection pins the rebuilt server's key anyway
    case 'pinned':
      if (state.lastResetBy === operationId) return []; // this rebuild's reset, repeated after a re-pin
      return [{ type: 'ConsoleHostKeyReset', data: { vpsId, operationId, previous: state.hostKey } }];
    case 'reset':
      return [];
    default:
      return assertNever(state);
  }
}

function decide(command: ConsoleCommand, state: ConsoleState): ConsoleEvent[] {
  switch (command.type) {
    case 'PinConsoleHostKey':
      return pinHostKey(command, state);
    case 'OpenConsoleSession':
      return openSession(command, state);
    case 'CloseConsoleSession':
      return closeSession(command, state);
    case 'CloseAbandonedConsoleSession':
      return closeAbandonedSession(command, state);
    case 'ResetConsoleHostKey':
      return resetHostKey(command, state);
    default:
      return assertNever(command);
  }
}

function evolve(state: ConsoleState, event: ConsoleEvent): ConsoleState {
  switch (event.type) {
    case 'ConsoleHostKeyPinned':
      if (state.status === 'pinned') return state;
      return {
        status: 'pinned',
        vpsId: event.data.vpsId,
        organizationId: event.data.organizationId,
        hostKey: { algorithm: event.data.algorithm, fingerprint: event.data.fingerprint },
        openSessions: state.status === 'reset' ? state.openSessions : {},
        ...(state.status === 'reset' ? { lastResetBy: state.lastResetBy } : {}),
      };
    case 'ConsoleHostKeyReset':
      if (state.status !== 'pinned') return state;
      return {
        status: 'reset',
        vpsId: state.vpsId,
        openSessions: state.openSessions,
        lastResetBy: event.data.operationId,
      };
    case 'ConsoleSessionOpened':
      if (state.status !== 'pinned') return state;
      return {
        ...state,
        openSessions: {
          ...state.openSessions,
          [event.data.sessionId]: {
            userId: event.data.userId,
            openedAt: event.data.openedAt,
            instanceId: event.data.instanceId ?? null,
          },
        },
      };
    case 'ConsoleSessionClosed': {
      if (state.status === 'unpinned') return state;
      const { [event.data.sessionId]: _closed, ...openSessions } = state.openSessions;
      return { ...state, openSessions };
    }
    default:
      return assertNever(event);
  }
}

export const consoleDecider: Decider<ConsoleState, ConsoleCommand, ConsoleEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'unpinned' }),
};
