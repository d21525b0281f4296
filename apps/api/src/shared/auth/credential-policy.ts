import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiError } from '../errors/api-error';

/** Set on the routes an API key may call: the organization routes (RequirePermission sets it). */
export const API_KEY_ALLOWED = 'stratus:api-key-allowed';
export const REFUSED_WHILE_IMPERSONATING = 'stratus:refused-while-impersonating';
/** OpenAPI extensions marking those operations (documentGlobalBehaviour reads, documents and removes them). */
export const API_KEY_OPERATION = 'x-stratus-api-key';
export const REFUSED_WHILE_IMPERSONATING_OPERATION = 'x-stratus-refused-while-impersonating';

/** The route accepts an API key as well as a session (keys are refused everywhere else). */
export const AllowApiKey = () =>
  applyDecorators(SetMetadata(API_KEY_ALLOWED, true), ApiExtension(API_KEY_OPERATION, true));

/**
 * Staff impersonating a user may not do this: move money, or change the account's credentials or mail (the user's
 * own decisions). The guard answers 403 impersonation_forbidden.
 */
export const RefusedWhileImpersonating = () =>
  applyDecorators(
    SetMetadata(REFUSED_WHILE_IMPERSONATING, true),
    ApiExtension(REFUSED_WHILE_IMPERSONATING_OPERATION, true),
  );

export function apiKeyNotAllowed(): ApiError {
  return new ApiError(
    403,
    'api_key_not_allowed',
    'API keys work on the organization routes (/api/organizations/:orgId/...) only; sign in for this one',
  );
}

export function impersonationForbidden(): ApiError {
  return new ApiError(
    403,
    'impersonation_forbidden',
    'Not while impersonating: payments, passwords, two-factor authentication, API keys and mail settings are the user’s own to change',
  );
}
