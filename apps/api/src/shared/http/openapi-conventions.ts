import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_OPERATION, REFUSED_WHILE_IMPERSONATING_OPERATION } from '../auth/credential-policy';
import { ErrorResponseDto } from './error-response.dto';

/** The error statuses the API answers with its one error body. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 502 | 503;

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
const TOO_MANY_REQUESTS = 'TooManyRequests';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** Adds `description` to the operation's 403 answer (creating it when the operation had none). */
function addForbidden(
  operation: OperationObject,
  description: string,
  content: Record<string, { schema: { $ref: string } }>,
): void {
  const existing = operation.responses['403'] as { description?: string } | undefined;
  if (existing && typeof existing.description === 'string') {
    existing.description = `${existing.description}; ${description}`;
  } else {
    operation.responses['403'] = { description, content };
  }
}

/**
 * What the app applies to every route, documented once instead of on each operation: the global JWT guard
 * (every operation needs a bearer token unless `@Public()`, which is `security: []`), and the 400 that the
 * body parser, the NUL-character check and the validation pipe give on any route, the guard's 401, and the rate
 * limit's 429 (see shared/rate-limit).
 */
export function documentGlobalBehaviour(document: OpenAPIObject): OpenAPIObject {
  const errorBody = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } };
  document.security = [{ [BEARER]: [] }];
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      [BEARER]: {
        type: 'http',
        scheme: 'bearer',
        description:
          'A session token (JWT from POST /api/auth/login), or on the organization routes an API key `stx_…` ' +
          '(POST /api/me/api-keys)',
      },
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
        description:
          'Missing, invalid or expired session token or API key (`unauthorized`; a revoked or expired key: ' +
          '`api_key_revoked`, `api_key_expired`)',
        content: errorBody,
      },
      [TOO_MANY_REQUESTS]: {
        description:
          'Rate limited (`rate_limited`, `details.policy`): per API key, user or client address, and stricter on ' +
          'registration, organization creation, power actions (per server) and tickets. Every answer carries ' +
          'the RateLimit-Policy and RateLimit headers of the policies it counted against',
        headers: {
          'Retry-After': {
            description: 'Seconds until a request is allowed again',
            schema: { type: 'integer' },
          },
          'RateLimit-Policy': {
            description: 'The policies, e.g. `"user";q=600;w=60` (quota per window of seconds)',
            schema: { type: 'string' },
          },
          RateLimit: {
            description: 'What is left, e.g. `"user";r=0;t=12` (remaining, seconds until the quota is whole)',
            schema: { type: 'string' },
          },
        },
        content: errorBody,
      },
    },
  };
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = path[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const isPublic = operation[PUBLIC_OPERATION] === true;
      const allowsApiKey = operation[API_KEY_OPERATION] === true;
      const refusedWhileImpersonating = operation[REFUSED_WHILE_IMPERSONATING_OPERATION] === true;
      delete operation[PUBLIC_OPERATION];
      delete operation[API_KEY_OPERATION];
      delete operation[REFUSED_WHILE_IMPERSONATING_OPERATION];
      if (isPublic) operation.security = [];
      operation.responses['400'] ??= { $ref: `#/components/responses/${BAD_REQUEST}` };
      if (!isPublic) operation.responses['401'] ??= { $ref: `#/components/responses/${UNAUTHORIZED}` };
      operation.responses['429'] ??= { $ref: `#/components/responses/${TOO_MANY_REQUESTS}` };
      const forbidden = [
        ...(isPublic || allowsApiKey
          ? []
          : ['api_key_not_allowed: an API key (keys work on organization routes)']),
        ...(refusedWhileImpersonating
          ? ['impersonation_forbidden: staff impersonating the user cannot do this']
          : []),
      ];
      if (forbidden.length > 0) addForbidden(operation, forbidden.join('; '), errorBody);
    }
  }
  return document;
}
