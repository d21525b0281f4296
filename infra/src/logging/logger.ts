import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'json' | 'pretty';
export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Which process wrote the line (api, workers, web, launcher...): on every line. */
  service: string;
  /** LOG_LEVEL (silent: nothing, for tests); default info. */
  level?: LogLevel | 'silent';
  /** LOG_FORMAT; default json (one object a line, what `npm start` and log shippers read). */
  format?: LogFormat;
  /** Where lines go (default stdout); tests pass a collecting stream. */
  destination?: DestinationStream;
}

/** Request fields never written: credentials and session cookies. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
];

/** Amounts are bigint micro-dollars: written as strings, exact, like the API's JSON. */
function bigintsAsStrings(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(bigintsAsStrings);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = bigintsAsStrings(field);
    return out;
  }
  return value;
}

/**
 * The one logger of every Stratus process: JSON lines `{time, level, service, msg, ...fields}` (pino), or
 * pino-pretty's readable lines when `format` is pretty.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination =
    options.destination ??
    (options.format === 'pretty'
      ? pretty({ sync: true }) // colours only on a terminal without NO_COLOR (pino-pretty's own rule)
      : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => bigintsAsStrings(fields) as Record<string, unknown>,
      },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/** `(message, fields)` logging (the projection runners' and activities' port) over a pino logger. */
export interface FieldLogger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export function fieldLogger(logger: Logger): FieldLogger {
  return {
    error: (message, fields = {}) => logger.error(fields, message),
    warn: (message, fields = {}) => logger.warn(fields, message),
    info: (message, fields = {}) => logger.info(fields, message),
    debug: (message, fields = {}) => logger.debug(fields, message),
  };
}
