import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';

/**
 * A signed-in session (the `sid` of a session token). Revoked sessions keep their row with `revokedAt` set:
 * the API's token check refuses a session by finding it revoked here.
 */
export interface UserSessionRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  userId: string;
  ip: string;
  userAgent: string;
  signedInAt: Date;
  revokedAt: Date | null;
  /** The staff member acting as the user in this session (impersonation), else null. */
  impersonatorId: string | null;
}

export const UserSessionEntity = new EntitySchema<UserSessionRow>({
  name: 'UserSession',
  tableName: 'user_sessions',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    userId: { type: 'string', columnType: 'text' },
    ip: { type: 'string', columnType: 'text' },
    userAgent: { type: 'string', columnType: 'text' },
    signedInAt: { type: 'Date', columnType: 'timestamptz' },
    revokedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    impersonatorId: { type: 'string', columnType: 'text', nullable: true },
  },
});
