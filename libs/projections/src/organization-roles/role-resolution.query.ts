import type { EntityManager } from '@mikro-orm/core';
import { isOrganizationRole, resolveRole, type ResolvedRole, type RoleId } from '@stratus/domain';
import { OrganizationRoleEntity, type OrganizationRoleRow } from './organization-role.entity';

/** A role as a read-model row names it: in which organization, which role. */
export interface HeldRole {
  organizationId: string;
  role: RoleId;
}

export type RoleResolver = (held: HeldRole) => ResolvedRole;

const NO_ROLES: ReadonlyMap<string, OrganizationRoleRow> = new Map();

/**
 * Resolves the roles read-model rows name (memberships, invitations) with the domain's one rule (resolveRole):
 * predefined roles from code, custom ones from organization_roles, read in one query. A custom role the read model
 * does not know (yet) grants nothing.
 */
export async function roleResolver(em: EntityManager, held: readonly HeldRole[]): Promise<RoleResolver> {
  const custom = held.filter((h) => !isOrganizationRole(h.role));
  const rows = custom.length
    ? await em.find(OrganizationRoleEntity, {
        $or: custom.map((h) => ({ organizationId: h.organizationId, roleId: h.role })),
      })
    : [];
  const byOrganization = new Map<string, Map<string, OrganizationRoleRow>>();
  for (const row of rows) {
    const roles = byOrganization.get(row.organizationId) ?? new Map<string, OrganizationRoleRow>();
    roles.set(row.roleId, row);
    byOrganization.set(row.organizationId, roles);
  }
  return ({ organizationId, role }) =>
    resolveRole(role, byOrganization.get(organizationId) ?? NO_ROLES) ?? {
      roleId: role,
      name: 'custom role',
      builtIn: false,
      permissions: [],
    };
}
