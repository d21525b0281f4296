import { Query } from '@nestjs/cqrs';
import type { Permission, RoleId } from '@stratus/domain';

export interface MyOrganization {
  organizationId: string;
  name: string;
  role: RoleId;
  roleName: string;
  permissions: Permission[];
  memberCount: number;
  createdAt: string;
}

export class ListMyOrganizationsQuery extends Query<MyOrganization[]> {
  constructor(readonly userId: string) {
    super();
  }
}
