import { HttpException } from '@nestjs/common';

/** The one error body every failing request gets. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown> | unknown[] | null;
}

/** An HTTP error with a stable machine-readable `error` code, raised by the API layer itself. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly error: string,
    message: string,
    readonly details: ApiErrorBody['details'] = null,
    readonly headers: Record<string, string> = {},
  ) {
    super({ error, message, details }, status);
  }

  static badRequest(error: string, message: string, details: ApiErrorBody['details'] = null): ApiError {
    return new ApiError(400, error, message, details);
  }
  static unauthorized(message = 'Authentication required', error = 'unauthorized'): ApiError {
    return new ApiError(401, error, message);
  }
  static forbidden(message: string, details: ApiErrorBody['details'] = null): ApiError {
    return new ApiError(403, 'forbidden', message, details);
  }
  static notFound(message = 'Not found', details: ApiErrorBody['details'] = null): ApiError {
    return new ApiError(404, 'not_found', message, details);
  }
  static conflict(message: string, details: ApiErrorBody['details'] = null): ApiError {
    return new ApiError(409, 'conflict', message, details);
  }
}
