import { EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';
import type { Permission } from '@stratus/domain';

/** One of an organization's custom roles (the predefined ones are code: ROLE_PERMISSIONS); deleted with the role. */
export interface OrganizationRoleRow {
  [PrimaryKeyProp]?: ['organizationId', 'roleId'];
  organizationId: string;
  roleId: string;
  name: string;
  permissions: Permission[];
  createdAt: Date;
  updatedAt: Date;
}

export const OrganizationRoleEntity = new EntitySchema<OrganizationRoleRow>({
  name: 'OrganizationRole',
  tableName: 'organization_roles',
  properties: {
    organizationId: { type: 'string', columnType: 'text', primary: true },
    roleId: { type: 'string', columnType: 'text', primary: true },
    name: { type: 'string', columnType: 'text' },
    permissions: { type: JsonType, columnType: 'jsonb' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
