import { Query } from '@nestjs/cqrs';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';

export interface OrganizationView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string | null;
  memberCount: number;
  myRole: string;
  myRoleName: string;
  myPermissions: string[];
}

export class GetOrganizationQuery extends Query<OrganizationView> {
  constructor(readonly membership: OrganizationMembership) {
    super();
  }
}
