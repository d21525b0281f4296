import { assertNever, type ApiKeyEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded } from '../shared/events';
import { ApiKeyEntity, type ApiKeyRow } from './api-key.entity';

export const apiKeysProjection: Projection<ApiKeyRow> = {
  name: 'api-keys',
  entity: ApiKeyEntity,
  handles: ['ApiKeyCreated', 'ApiKeyRevoked'] satisfies ApiKeyEvent['type'][],
  keyOf: (event) => asRecorded<ApiKeyEvent>(event).data.keyId,
  evolve(row, recorded) {
    const event = asRecorded<ApiKeyEvent>(recorded);
    switch (event.type) {
      case 'ApiKeyCreated': {
        const { data } = event;
        return {
          id: data.keyId,
          userId: data.userId,
          organizationId: data.organizationId,
          name: data.name,
          prefix: data.prefix,
          permissions: data.permissions,
          expiresAt: data.expiresAt === null ? null : new Date(data.expiresAt),
          allowedIps: data.allowedIps,
          createdAt: new Date(data.createdAt),
          revokedAt: row?.revokedAt ?? null,
        };
      }
      case 'ApiKeyRevoked':
        return row && { ...row, revokedAt: row.revokedAt ?? new Date(event.data.revokedAt) };
      default:
        return assertNever(event);
    }
  },
};
