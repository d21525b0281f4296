import { PERMISSIONS, type Permission } from '../permissions/permissions';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import { requireInstant, requireSha256 } from '../user/user.validation';
import type { ApiKeyEvent } from './api-key.events';
import { requireIpRanges } from './ip-ranges';

export const MAX_API_KEY_NAME_LENGTH = 100;
/** The public part of a key (`stx_<prefix>_<secret>`): 12 lowercase hex characters, the key's lookup id. */
export const API_KEY_PREFIX_PATTERN = /^[0-9a-f]{12}$/;

/**
 * `ownerPermissions`: what the creating user may do in the organization right now, established by the caller (the
 * API's organization access); a key is never granted more.
 */
export type CreateApiKey = Command<
  'CreateApiKey',
  {
    keyId: string;
    organizationId: string;
    name: string;
    prefix: string;
    secretHash: string;
    permissions: string[];
    expiresAt: string | null;
    allowedIps: string[];
    ownerPermissions: readonly Permission[];
  }
>;
/** Only the key's owner; revoking a revoked key records nothing. */
export type RevokeApiKey = Command<'RevokeApiKey', Record<string, never>>;
export type ApiKeyCommand = CreateApiKey | RevokeApiKey;

interface ApiKeyFacts {
  keyId: string;
  userId: string;
  organizationId: string;
  name: string;
  prefix: string;
  secretHash: string;
  permissions: Permission[];
  expiresAt: string | null;
  allowedIps: string[];
  createdAt: string;
}

export type ApiKeyState =
  | { status: 'none' }
  | ({ status: 'active' } & ApiKeyFacts)
  | ({ status: 'revoked'; revokedAt: string } & ApiKeyFacts);

export function initialApiKeyState(): ApiKeyState {
  return { status: 'none' };
}

/** Whether the key authenticates at `now` (ISO-8601): 'usable', or why not. */
export function apiKeyStatusAt(
  state: ApiKeyState,
  now: string,
): 'usable' | 'unknown' | 'revoked' | 'expired' {
  switch (state.status) {
    case 'none':
      return 'unknown';
    case 'revoked':
      return 'revoked';
    case 'active':
      return state.expiresAt !== null && Date.parse(state.expiresAt) <= Date.parse(now)
        ? 'expired'
        : 'usable';
    default:
      return assertNever(state);
  }
}

function requirePermissions(value: unknown, held: readonly Permission[]): Permission[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new DomainError(
      'validation',
      'invalid_permissions',
      'permissions must name at least one permission',
      {
        field: 'permissions',
      },
    );
  }
  const unknown = value.filter((p) => !(PERMISSIONS as readonly unknown[]).includes(p));
  if (unknown.length > 0) {
    throw new DomainError('validation', 'invalid_permissions', 'permissions holds unknown permissions', {
      field: 'permissions',
      unknown: unknown.map((p) => String(p).slice(0, 40)),
      allowed: PERMISSIONS,
    });
  }
  const chosen = new Set(value as Permission[]);
  const notHeld = PERMISSIONS.filter((p) => chosen.has(p) && !held.includes(p));
  if (notHeld.length > 0) {
    throw new DomainError(
      'forbidden',
      'permission_not_held',
      `A key cannot have permissions you do not hold in this organization: ${notHeld.join(', ')}`,
      { field: 'permissions', notHeld },
    );
  }
  // In PERMISSIONS order, each once.
  return PERMISSIONS.filter((p) => chosen.has(p));
}

function notFound(): DomainError {
  // Someone else's key is indistinguishable from no key.
  return new DomainError('not_found', 'api_key_not_found', 'API key not found');
}

export function decideApiKey(command: ApiKeyCommand, state: ApiKeyState): ApiKeyEvent[] {
  const { metadata } = command;
  switch (command.type) {
    case 'CreateApiKey': {
      const { data } = command;
      const keyId = requireId(data.keyId, 'keyId');
      const organizationId = requireId(data.organizationId, 'organizationId');
      const name = requireText(data.name, 'name', 'invalid_name', MAX_API_KEY_NAME_LENGTH);
      if (typeof data.prefix !== 'string' || !API_KEY_PREFIX_PATTERN.test(data.prefix)) {
        throw new DomainError('validation', 'invalid_prefix', 'prefix must be 12 lowercase hex characters', {
          field: 'prefix',
        });
      }
      const secretHash = requireSha256(data.secretHash, 'secretHash', 'invalid_secret_hash');
      const permissions = requirePermissions(data.permissions, data.ownerPermissions);
      if (
        data.expiresAt !== null &&
        requireInstant(data.expiresAt, 'expiresAt') <= Date.parse(metadata.now)
      ) {
        throw new DomainError('validation', 'invalid_expires_at', 'expiresAt must be in the future', {
          field: 'expiresAt',
        });
      }
      const allowedIps = requireIpRanges(data.allowedIps, 'allowedIps');
      if (state.status !== 'none') {
        throw new DomainError('conflict', 'api_key_exists', 'This API key already exists', { keyId });
      }
      return [
        {
          type: 'ApiKeyCreated',
          data: {
            keyId,
            userId: metadata.actor.userId,
            organizationId,
            name,
            prefix: data.prefix,
            secretHash,
            permissions,
            expiresAt: data.expiresAt === null ? null : new Date(data.expiresAt).toISOString(),
            allowedIps,
            createdAt: metadata.now,
          },
        },
      ];
    }
    case 'RevokeApiKey':
      switch (state.status) {
        case 'none':
          throw notFound();
        case 'active':
        case 'revoked':
          if (state.userId !== metadata.actor.userId) throw notFound();
          if (state.status === 'revoked') return [];
          return [
            {
              type: 'ApiKeyRevoked',
              data: {
                keyId: state.keyId,
                userId: state.userId,
                organizationId: state.organizationId,
                revokedAt: metadata.now,
              },
            },
          ];
        default:
          return assertNever(state);
      }
    default:
      return assertNever(command);
  }
}

export function evolveApiKey(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated':
      return { status: 'active', ...event.data };
    case 'ApiKeyRevoked':
      return state.status === 'active'
        ? { ...state, status: 'revoked', revokedAt: event.data.revokedAt }
        : state;
    default:
      return assertNever(event);
  }
}

export const apiKeyDecider: Decider<ApiKeyState, ApiKeyCommand, ApiKeyEvent> = {
  decide: decideApiKey,
  evolve: evolveApiKey,
  initialState: initialApiKeyState,
};
