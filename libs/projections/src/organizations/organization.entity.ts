import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';

export interface OrganizationRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  memberCount: number;
}

export const OrganizationEntity = new EntitySchema<OrganizationRow>({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    name: { type: 'string', columnType: 'text' },
    createdBy: { type: 'string', columnType: 'text' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    memberCount: { type: 'integer', columnType: 'integer' },
  },
});
