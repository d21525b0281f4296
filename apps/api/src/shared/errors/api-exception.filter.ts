import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, PaymentProviderError, type DomainErrorCode } from '@stratus/domain';
import { WrongExpectedRevisionError, ConcurrencyConflictError } from '@stratus/eventstore';
import { ApiError, type ApiErrorBody } from './api-error';

export interface MappedError {
  status: number;
  body: ApiErrorBody;
  headers: Record<string, string>;
  /** Unexpected: log it with the request id; never show its message or stack to the client. */
  unexpected: boolean;
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  validation: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  gone: 410,
  unauthorized: 401,
  rate_limited: 429,
  insufficient_funds: 402,
};

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  410: 'gone',
  411: 'length_required',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

function errorCodeForStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/** Errors raised by the body parser (raw-body/http-errors): they carry `type`, `status` and `expose`. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

function asBodyParserError(error: unknown): { status: number; type: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as BodyParserError;
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : null;
  if (status === null || status < 400 || status >= 500 || e.expose !== true) return null;
  return {
    status,
    type: typeof e.type === 'string' ? e.type : '',
    message: typeof e.message === 'string' ? e.message : '',
  };
}

/** A rate-limited command says when to come back, as the header clients and proxies understand. */
function retryAfterHeader(error: DomainError): Record<string, string> {
  const seconds = error.details?.retryAfterSeconds;
  return error.code === 'rate_limited' && typeof seconds === 'number'
    ? { 'Retry-After': String(seconds) }
    : {};
}

/** Pure mapping from anything thrown to the HTTP answer; the filter only writes it. */
export function mapError(error: unknown): MappedError {
  if (error instanceof ApiError) {
    return {
      status: error.getStatus(),
      body: { error: error.error, message: error.message, details: error.details ?? null },
      headers: error.headers,
      unexpected: false,
    };
  }
  if (error instanceof DomainError) {
    return {
      status: DOMAIN_STATUS[error.code] ?? 400,
      body: { error: error.reason, message: error.message, details: error.details ?? null },
      headers: retryAfterHeader(error),
      unexpected: false,
    };
  }
  if (error instanceof PaymentProviderError) {
    // The provider's own message may carry its request details: name the provider, keep the rest in the logs.
    return {
      status: 502,
      body: {
        error: 'payment_provider_error',
        message: `The payment provider (${error.provider}) failed; retry the request with the same Idempotency-Key`,
        details: { provider: error.provider, retryable: error.retryable },
      },
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof WrongExpectedRevisionError || error instanceof ConcurrencyConflictError) {
    return {
      status: 409,
      body: {
        error: 'conflict',
        message: 'The resource was changed concurrently; retry the request',
        details: null,
      },
      headers: {},
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : Array.isArray((response as { message?: unknown }).message)
            ? (response as { message: string[] }).message.join('; ')
            : error.message;
    if (status >= 500) {
      return {
        status,
        body: { error: errorCodeForStatus(status), message: 'Internal error', details: null },
        headers: {},
        unexpected: true,
      };
    }
    return {
      status,
      body: { error: errorCodeForStatus(status), message, details: null },
      headers: {},
      unexpected: false,
    };
  }
  const parserError = asBodyParserError(error);
  if (parserError) {
    if (parserError.type === 'entity.parse.failed') {
      return {
        status: 400,
        body: { error: 'malformed_json', message: 'The request body is not valid JSON', details: null },
        headers: {},
        unexpected: false,
      };
    }
    if (parserError.status === 413) {
      return {
        status: 413,
        body: { error: 'payload_too_large', message: 'The request body is too large', details: null },
        headers: {},
        unexpected: false,
      };
    }
    return {
      status: parserError.status,
      body: {
        error: errorCodeForStatus(parserError.status),
        message: parserError.message || 'Bad request',
        details: null,
      },
      headers: {},
      unexpected: false,
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: 'internal_error', message: 'Internal error', details: null },
    headers: {},
    unexpected: true,
  };
}

/** The one place errors become HTTP: `{ error, message, details }`, never a stack. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<{
      requestId?: string;
      method?: string;
      originalUrl?: string;
      url?: string;
    }>();
    const response = http.getResponse<{
      headersSent: boolean;
      status(code: number): { json(body: unknown): void };
      setHeader(name: string, value: string): void;
      end(): void;
    }>();
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      this.logger.error(
        `request ${request.requestId ?? '-'} ${request.method ?? ''} ${request.originalUrl ?? request.url ?? ''} failed: ${
          exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)
        }`,
      );
      mapped.body.details = request.requestId ? { requestId: request.requestId } : null;
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(mapped.headers)) response.setHeader(name, value);
    response.status(mapped.status).json(mapped.body);
  }
}
