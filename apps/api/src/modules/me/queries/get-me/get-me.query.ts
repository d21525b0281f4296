import { Query } from '@nestjs/cqrs';
import type { MyMembershipView } from '../../shared/my-memberships';

export interface MeView {
  user: {
    id: string;
    email: string;
    name: string;
    platformRole: 'admin' | 'customer';
    emailVerified: boolean;
    twoFactorEnabled: boolean;
  };
  memberships: MyMembershipView[];
  /** More memberships than ME_MEMBERSHIPS_LIMIT: GET /api/me/memberships pages through all of them. */
  moreMemberships: boolean;
  activeOrganizationId: string | null;
}

/** /api/me lists at most this many memberships (the first joined), plus the active one. */
export const ME_MEMBERSHIPS_LIMIT = 100;

export class GetMeQuery extends Query<MeView> {
  constructor(readonly userId: string) {
    super();
  }
}
