import type { DomainEvent } from '../shared/decider';
import type { Permission } from '../permissions/permissions';

/**
 * Stream `apikey-<keyId>`: one API key of one user for one organization. `secretHash` is the sha256 (hex) of the
 * key's secret part; the secret itself is shown to its owner once and never stored. `expiresAt` null: no expiry;
 * `allowedIps` empty: any address.
 */
export type ApiKeyCreated = DomainEvent<
  'ApiKeyCreated',
  {
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
>;
export type ApiKeyRevoked = DomainEvent<
  'ApiKeyRevoked',
  { keyId: string; userId: string; organizationId: string; revokedAt: string }
>;

export type ApiKeyEvent = ApiKeyCreated | ApiKeyRevoked;
