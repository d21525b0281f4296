import { Query } from '@nestjs/cqrs';
import type { OrganizationRole, Permission } from '@stratus/domain';

export interface MeView {
  user: {
    id: string;
    email: string;
    name: string;
    platformRole: 'admin' | 'customer';
    emailVerified: boolean;
    twoFactorEnabled: boolean;
  };
  memberships: Array<{
    organizationId: string;
    organizationName: string;
    role: OrganizationRole;
    permissions: Permission[];
  }>;
  activeOrganizationId: string | null;
}

export class GetMeQuery extends Query<MeView> {
  constructor(readonly userId: string) {
    super();
  }
}
