import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** The error statuses the API answers with its one error body. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 422 | 429 | 502 | 503;

/**
 * An operation's (or every operation of a controller's) error answers, each with the error body
 * `{ error, message, details }`; the description names the `error` codes a client can expect.
 * The 400 and 401 that every route may give are documented once, by {@link documentGlobalBehaviour}.
 */
export function ApiErrorResponses(responses: Partial<Record<ErrorStatus, string>>) {
  return applyDecorators(
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: ErrorResponseDto }),
    ),
  );
}

/** Marks an operation reachable without a session token (set by `@Public()`, read below). */
const PUBLIC_OPERATION = 'x-stratus-public';
export const ApiPublicOperation = () => ApiExtension(PUBLIC_OPERATION, true);

/**
 * Who may call an operation, stated in the document for clients choosing an API key's scopes and for the
 * security matrix test that checks every operation refuses everyone else: `organization-member` with the
 * permission it needs (null: any member of `orgId`), or `platform-admin`.
 */
export const ACCESS_EXTENSION = 'x-stratus-access';
export type OperationAccess =
  { kind: 'organization-member'; permission: string | null } | { kind: 'platform-admin' };
export const ApiAccess = (access: OperationAccess) => ApiExtension(ACCESS_EXTENSION, access);

const BEARER = 'bearer';
const BAD_REQUEST = 'BadRequest';
const UNAUTHORIZED = 'Unauthorized';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * What the app applies to every route, documented once instead of on each operation: the global JWT guard
 * (every operation needs a bearer token unless `@Public()`, which is `security: []`), and the 400 that the
 * body parser, the NUL-character check and the validation pipe give on any route, and the guard's 401.
 */
export function documentGlobalBehaviour(document: OpenAPIObject): OpenAPIObject {
  const errorBody = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } };
  document.security = [{ [BEARER]: [] }];
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
    responses: {
      ...document.components?.responses,
      [BAD_REQUEST]: {
        description:
          'Malformed request: invalid JSON, a NUL character, or a parameter or body that fails validation ' +
          '(`validation_failed`, with `details.fields`)',
        content: errorBody,
      },
      [UNAUTHORIZED]: {
        description: 'Missing, invalid or expired session token (`unauthorized`)',
        content: errorBody,
      },
    },
  };
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: (OperationObject & { [PUBLIC_OPERATION]?: boolean }) | undefined = path[method];
      if (!operation) continue;
      const isPublic = operation[PUBLIC_OPERATION] === true;
      delete operation[PUBLIC_OPERATION];
      if (isPublic) operation.security = [];
      operation.responses['400'] ??= { $ref: `#/components/responses/${BAD_REQUEST}` };
      if (!isPublic) operation.responses['401'] ??= { $ref: `#/components/responses/${UNAUTHORIZED}` };
    }
  }
  return document;
}
