import { Inject } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiKeyEntity, OrganizationEntity, type ApiKeyRow, type ProjectionsOrm } from '@stratus/projections';
import { ApiKeyUsage } from '../../../../shared/auth/api-key-usage.service';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { ApiKeyStatus } from '../../shared/api-key.dto';
import { ListApiKeysQuery, type ApiKeyCursor, type ApiKeysPage } from './list-api-keys.query';

/** Opaque to clients: base64url of "v1:<createdAt ISO>|<keyId>" of the last key returned. */
export function encodeApiKeyCursor(cursor: ApiKeyCursor): string {
  return Buffer.from(`v1:${cursor.createdAt.toISOString()}|${cursor.keyId}`, 'utf8').toString('base64url');
}

export function decodeApiKeyCursor(cursor: string): ApiKeyCursor {
  const match = /^[A-Za-z0-9_-]{1,120}$/.test(cursor)
    ? /^v1:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(
        Buffer.from(cursor, 'base64url').toString('utf8'),
      )
    : null;
  if (!match || Number.isNaN(Date.parse(match[1])))
    throw ApiError.badRequest('invalid_cursor', 'cursor is not one this API returned', { field: 'cursor' });
  return { createdAt: new Date(match[1]), keyId: match[2] };
}

@QueryHandler(ListApiKeysQuery)
export class ListApiKeysHandler implements IQueryHandler<ListApiKeysQuery, ApiKeysPage> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    private readonly usage: ApiKeyUsage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ userId, limit, after }: ListApiKeysQuery): Promise<ApiKeysPage> {
    const em = this.orm.em.fork();
    const where: FilterQuery<ApiKeyRow> = after
      ? {
          userId,
          $or: [
            { createdAt: { $lt: after.createdAt } },
            { createdAt: after.createdAt, id: { $lt: after.keyId } },
          ],
        }
      : { userId };
    const rows = await em.find(ApiKeyEntity, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const organizationIds = [...new Set(page.map((row) => row.organizationId))];
    const [organizations, lastUsed] = await Promise.all([
      organizationIds.length ? em.find(OrganizationEntity, { id: { $in: organizationIds } }) : [],
      this.usage.lastUsed(page.map((row) => row.id)),
    ]);
    const names = new Map(organizations.map((o) => [o.id, o.name]));
    const now = this.clock.now().getTime();
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: row.id,
        prefix: row.prefix,
        name: row.name,
        organizationId: row.organizationId,
        organizationName: names.get(row.organizationId) ?? null,
        permissions: row.permissions,
        allowedIps: row.allowedIps,
        createdAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt?.toISOString() ?? null,
        lastUsedAt: lastUsed.get(row.id)?.toISOString() ?? null,
        revokedAt: row.revokedAt?.toISOString() ?? null,
        status: statusOf(row, now),
      })),
      nextCursor:
        rows.length > limit && last
          ? encodeApiKeyCursor({ createdAt: last.createdAt, keyId: last.id })
          : null,
    };
  }
}

function statusOf(row: ApiKeyRow, now: number): ApiKeyStatus {
  if (row.revokedAt) return 'revoked';
  return row.expiresAt && row.expiresAt.getTime() <= now ? 'expired' : 'active';
}
