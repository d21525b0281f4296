import { EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';
import type { Permission } from '@stratus/domain';

/**
 * A user's API keys as their owner lists them (never the secret or its hash). Authentication does not read this
 * table: it folds the key's own stream, so a revocation counts at once.
 */
export interface ApiKeyRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  userId: string;
  organizationId: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  expiresAt: Date | null;
  allowedIps: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    userId: { type: 'string', columnType: 'text' },
    organizationId: { type: 'string', columnType: 'text' },
    name: { type: 'string', columnType: 'text' },
    prefix: { type: 'string', columnType: 'text' },
    permissions: { type: JsonType, columnType: 'jsonb' },
    expiresAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    allowedIps: { type: JsonType, columnType: 'jsonb' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    revokedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
