import type { OrganizationState } from '@stratus/domain';
import type { RoleDto } from './role.dto';

/** A custom role as the state holds it after a command, or null once deleted. */
export function customRoleView(state: OrganizationState, roleId: string): RoleDto | null {
  const role = state.status === 'active' ? state.customRoles.get(roleId) : undefined;
  return role
    ? { roleId: role.roleId, name: role.name, builtIn: false, permissions: [...role.permissions] }
    : null;
}
