import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import type { RoleId } from '@stratus/domain';

/**
 * An organization's invitation as its members list it. Never the token or its hash: accepting reads the
 * organization's stream, not this table.
 */
export interface InvitationRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  organizationId: string;
  email: string;
  role: RoleId;
  invitedBy: string;
  status: 'pending' | 'accepted' | 'declined' | 'revoked';
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
}

export const InvitationEntity = new EntitySchema<InvitationRow>({
  name: 'Invitation',
  tableName: 'invitations',
  indexes: [{ name: 'invitations_organization_id_status_index', properties: ['organizationId', 'status'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    email: { type: 'string', columnType: 'text' },
    role: { type: 'string', columnType: 'text' },
    invitedBy: { type: 'string', columnType: 'text' },
    status: { type: 'string', columnType: 'text' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    expiresAt: { type: 'Date', columnType: 'timestamptz' },
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
