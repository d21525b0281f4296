import { Query } from '@nestjs/cqrs';

export interface MemberView {
  userId: string;
  name: string | null;
  email: string | null;
  role: string;
  roleName: string;
  joinedAt: string;
}

export class ListMembersQuery extends Query<MemberView[]> {
  constructor(readonly organizationId: string) {
    super();
  }
}
