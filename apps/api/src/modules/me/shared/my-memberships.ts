import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { Permission, RoleId } from '@stratus/domain';
import { MembershipEntity, OrganizationEntity, roleResolver, type MembershipRow } from '@stratus/projections';
import { ApiError } from '../../../shared/errors/api-error';

export interface MyMembershipView {
  organizationId: string;
  organizationName: string;
  role: RoleId;
  roleName: string;
  permissions: Permission[];
  joinedAt: string;
}

/** Where a page of memberships ends: the last one returned (order: joinedAt, then organizationId). */
export interface MembershipCursor {
  joinedAt: Date;
  organizationId: string;
}

/** Opaque to clients: base64url of "v1:<joinedAt ISO>|<organizationId>". */
export function encodeMembershipCursor(cursor: MembershipCursor): string {
  return Buffer.from(`v1:${cursor.joinedAt.toISOString()}|${cursor.organizationId}`, 'utf8').toString(
    'base64url',
  );
}

export function decodeMembershipCursor(cursor: string): MembershipCursor {
  const match = /^[A-Za-z0-9_-]{1,120}$/.test(cursor)
    ? /^v1:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9A-Fa-f-]{36})$/.exec(
        Buffer.from(cursor, 'base64url').toString('utf8'),
      )
    : null;
  if (!match || Number.isNaN(Date.parse(match[1])))
    throw ApiError.badRequest('invalid_cursor', 'cursor is not one this API returned', { field: 'cursor' });
  return { joinedAt: new Date(match[1]), organizationId: match[2] };
}

/**
 * The user's memberships in the order they joined, at most `limit` after `after`, with their organizations' names;
 * `more` tells whether others follow.
 */
export async function readMyMemberships(
  em: EntityManager,
  userId: string,
  limit: number,
  after: MembershipCursor | null,
): Promise<{ items: MyMembershipView[]; more: boolean }> {
  const { rows, more } = await pageOfMemberships(em, userId, limit, after);
  return { items: await withOrganizationNames(em, rows), more };
}

/** A page of the user's membership rows in the order they joined (what /me/memberships and /organizations list). */
export async function pageOfMemberships(
  em: EntityManager,
  userId: string,
  limit: number,
  after: MembershipCursor | null,
): Promise<{ rows: MembershipRow[]; more: boolean }> {
  const where: FilterQuery<MembershipRow> = after
    ? {
        userId,
        $or: [
          { joinedAt: { $gt: after.joinedAt } },
          { joinedAt: after.joinedAt, organizationId: { $gt: after.organizationId } },
        ],
      }
    : { userId };
  const rows = await em.find(MembershipEntity, where, {
    orderBy: { joinedAt: 'asc', organizationId: 'asc' },
    limit: limit + 1,
  });
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** One membership of the user, or null (the active organization, wherever it falls in the order). */
export async function readMyMembership(
  em: EntityManager,
  userId: string,
  organizationId: string,
): Promise<MyMembershipView | null> {
  const row = await em.findOne(MembershipEntity, { userId, organizationId });
  return row ? ((await withOrganizationNames(em, [row]))[0] ?? null) : null;
}

async function withOrganizationNames(em: EntityManager, rows: MembershipRow[]): Promise<MyMembershipView[]> {
  const organizations = rows.length
    ? await em.find(OrganizationEntity, { id: { $in: rows.map((m) => m.organizationId) } })
    : [];
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  const resolve = await roleResolver(em, rows);
  return rows.map((m) => {
    const role = resolve(m);
    return {
      organizationId: m.organizationId,
      organizationName: names.get(m.organizationId) ?? '',
      role: role.roleId,
      roleName: role.name,
      permissions: [...role.permissions],
      joinedAt: m.joinedAt.toISOString(),
    };
  });
}
