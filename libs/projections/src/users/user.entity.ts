import { EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';
import type { OptionalMail, PlatformRole } from '@stratus/domain';

/** Who a user is, as the API lists and authenticates against (no password hash here). */
export interface UserRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  email: string;
  name: string;
  platformRole: PlatformRole;
  activeOrganizationId: string | null;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  /** Optional mails the user turned off (the mail reactor skips them). */
  mailOptOuts: OptionalMail[];
  createdAt: Date;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    email: { type: 'string', columnType: 'text', unique: 'users_email_unique' },
    name: { type: 'string', columnType: 'text' },
    platformRole: { type: 'string', columnType: 'text' },
    activeOrganizationId: { type: 'string', columnType: 'text', nullable: true },
    emailVerified: { type: 'boolean', columnType: 'boolean', default: false },
    twoFactorEnabled: { type: 'boolean', columnType: 'boolean', default: false },
    mailOptOuts: { type: JsonType, columnType: 'jsonb' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
