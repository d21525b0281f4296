import { Query } from '@nestjs/cqrs';
import type { OrganizationRole, Permission } from '@stratus/domain';

export interface MyOrganization {
  organizationId: string;
  name: string;
  role: OrganizationRole;
  permissions: Permission[];
  memberCount: number;
  createdAt: string;
}

export class ListMyOrganizationsQuery extends Query<MyOrganization[]> {
  constructor(readonly userId: string) {
    super();
  }
}
