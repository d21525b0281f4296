import {
  isOrganizationRole,
  ORGANIZATION_ROLES,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  type Permission,
} from '../permissions/permissions';
import { DomainError } from '../shared/decider';

/**
 * A member's or an invitation's role: the name of one of the seven predefined roles (ORGANIZATION_ROLES) or the id
 * (a uuid) of one of the organization's custom roles. The two never collide: no predefined name is a uuid.
 */
export type RoleId = string;

/** A role an organization defined from the nineteen permissions. */
export interface CustomRole {
  roleId: string;
  name: string;
  /** In PERMISSIONS order, no duplicates, at least one. */
  permissions: readonly Permission[];
}

/** A role as a member holds it: what it is called and what it grants. */
export interface ResolvedRole {
  roleId: RoleId;
  name: string;
  builtIn: boolean;
  permissions: readonly Permission[];
}

export const MAX_CUSTOM_ROLES = 50;
export const MAX_ROLE_NAME_LENGTH = 50;

/**
 * The one rule turning a role into permissions: a predefined role grants ROLE_PERMISSIONS, a custom role what the
 * organization gave it. Undefined for a role the organization does not have (a deleted or unknown custom role).
 * Every reader resolves through here: the organization decider, the API's access check, the read-model queries.
 */
export function resolveRole(
  roleId: RoleId,
  customRoles: ReadonlyMap<string, Pick<CustomRole, 'name' | 'permissions'>>,
): ResolvedRole | undefined {
  if (isOrganizationRole(roleId)) {
    return { roleId, name: roleId, builtIn: true, permissions: ROLE_PERMISSIONS[roleId] };
  }
  const custom = customRoles.get(roleId);
  return custom && { roleId, name: custom.name, builtIn: false, permissions: custom.permissions };
}

/** The predefined roles as resolved roles, in their one order. */
export function builtInRoles(): ResolvedRole[] {
  return ORGANIZATION_ROLES.map((role) => resolveRole(role, new Map())!);
}

/** The permissions of `wanted` that `held` lacks, in PERMISSIONS order. */
export function permissionsNotHeld(wanted: readonly Permission[], held: readonly Permission[]): Permission[] {
  const have = new Set(held);
  return PERMISSIONS.filter((p) => wanted.includes(p) && !have.has(p));
}

const isPermission = (value: unknown): value is Permission =>
  typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);

/** A custom role's permissions: known ones, at least one; returned deduplicated in PERMISSIONS order. */
export function requirePermissionList(value: unknown): Permission[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 2 * PERMISSIONS.length) {
    throw new DomainError(
      'validation',
      'invalid_permissions',
      'permissions must name at least one permission',
      {
        field: 'permissions',
      },
    );
  }
  const unknown = value.filter((p) => !isPermission(p));
  if (unknown.length > 0) {
    throw new DomainError(
      'validation',
      'invalid_permissions',
      `permissions must be among ${PERMISSIONS.join(', ')}`,
      { field: 'permissions', unknown: unknown.map(String).slice(0, 5) },
    );
  }
  return PERMISSIONS.filter((p) => (value as string[]).includes(p));
}

/** How names are compared: case, spaces, dashes and underscores do not tell two roles apart. */
export function roleNameKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}
