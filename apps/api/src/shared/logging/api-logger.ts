import { RequestMethod, type DynamicModule, type LogLevel as NestLogLevel } from '@nestjs/common';
import { createLogger, type Logger, type LogLevel } from '@stratus/infra';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { ApiConfig } from '../config/api-config';
import { requestIdFrom } from '../request-context/request-id.middleware';

/** Which entries are written: a LOG_LEVEL, or (tests) Nest's level list / false for none. */
export type ApiLogLevel = LogLevel | 'silent' | NestLogLevel[] | false;

const FROM_NEST: Record<NestLogLevel, LogLevel> = {
  fatal: 'error',
  error: 'error',
  warn: 'warn',
  log: 'info',
  verbose: 'debug',
  debug: 'debug',
};
const VERBOSITY: LogLevel[] = ['error', 'warn', 'info', 'debug'];

function pinoLevel(level: ApiLogLevel): LogLevel | 'silent' {
  if (level === false) return 'silent';
  if (!Array.isArray(level)) return level;
  const levels = level.map((nest) => VERBOSITY.indexOf(FROM_NEST[nest]));
  return levels.length === 0 ? 'silent' : VERBOSITY[Math.max(...levels)];
}

/** The API's pino logger (service "api"): LOG_LEVEL and LOG_FORMAT from the config unless a test says otherwise. */
export function createApiLogger(config: ApiConfig, level?: ApiLogLevel): Logger {
  return createLogger({
    service: 'api',
    level: pinoLevel(level ?? config.logLevel ?? 'info'),
    format: config.logFormat,
  });
}

type RequestWithId = Request & { requestId?: string };

/**
 * nestjs-pino over the given logger: Nest's own entries and one "request completed" line per request, each
 * with the request id of requestIdMiddleware (which is also the correlation id of the commands it runs).
 */
export function apiLoggerModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({
    // Every route, in path-to-regexp 8 syntax (the module's default '*' makes Nest warn at start-up).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger,
      genReqId: (req) => (req as RequestWithId).requestId ?? requestIdFrom(req.headers['x-request-id']),
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      customProps: (req) => ({ correlationId: (req as RequestWithId).requestId }),
    },
  });
}
