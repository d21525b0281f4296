import type { ProjectionLogger } from '@stratus/projections';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
export type LogLevel = keyof typeof LEVELS;

/** One JSON line per entry on stdout, filtered by LOG_LEVEL. */
export function createLogger(level: LogLevel, service = 'workers'): ProjectionLogger {
  const write =
    (entryLevel: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS[entryLevel] > LEVELS[level]) return;
      process.stdout.write(
        `${JSON.stringify(
          { time: new Date().toISOString(), level: entryLevel, service, msg: message, ...fields },
          (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
        )}\n`,
      );
    };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}
