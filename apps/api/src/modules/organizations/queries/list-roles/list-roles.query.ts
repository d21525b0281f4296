import { Query } from '@nestjs/cqrs';
import type { Permission } from '@stratus/domain';

export interface RoleView {
  roleId: string;
  name: string;
  builtIn: boolean;
  permissions: Permission[];
  memberCount: number;
}

/** The seven predefined roles, then the organization's own by name. */
export class ListRolesQuery extends Query<RoleView[]> {
  constructor(readonly organizationId: string) {
    super();
  }
}
