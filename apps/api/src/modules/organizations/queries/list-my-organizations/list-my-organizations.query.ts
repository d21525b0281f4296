import { Query } from '@nestjs/cqrs';
import type { Permission, RoleId } from '@stratus/domain';
import type { MembershipCursor } from '../../../me/shared/my-memberships';

export interface MyOrganization {
  organizationId: string;
  name: string;
  role: RoleId;
  roleName: string;
  permissions: Permission[];
  memberCount: number;
  createdAt: string;
}

export interface MyOrganizationsPage {
  items: MyOrganization[];
  nextCursor: string | null;
}

/** A page of the signed-in user's organizations, in the order they joined them; `after` = the cursor (exclusive). */
export class ListMyOrganizationsQuery extends Query<MyOrganizationsPage> {
  constructor(
    readonly userId: string,
    readonly limit: number,
    readonly after: MembershipCursor | null,
  ) {
    super();
  }
}
