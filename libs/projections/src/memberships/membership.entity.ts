import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import type { OrganizationRole } from '@stratus/domain';

/** One user's role in one organization; the row is deleted when the member leaves. */
export interface MembershipRow {
  [PrimaryKeyProp]?: ['organizationId', 'userId'];
  organizationId: string;
  userId: string;
  role: OrganizationRole;
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
