import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import type { RoleId } from '@stratus/domain';

/** One user's role (predefined or custom: RoleId) in one organization; the row is deleted when the member leaves. */
export interface MembershipRow {
  [PrimaryKeyProp]?: ['organizationId', 'userId'];
  organizationId: string;
  userId: string;
  role: RoleId;
  joinedAt: Date;
}

export const MembershipEntity = new EntitySchema<MembershipRow>({
  name: 'Membership',
  tableName: 'memberships',
  indexes: [{ name: 'memberships_user_id_index', properties: ['userId'] }],
  properties: {
    organizationId: { type: 'string', columnType: 'text', primary: true },
    userId: { type: 'string', columnType: 'text', primary: true },
    role: { type: 'string', columnType: 'text' },
    joinedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
