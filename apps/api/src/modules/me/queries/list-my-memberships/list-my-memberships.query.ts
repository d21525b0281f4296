import { Query } from '@nestjs/cqrs';
import type { MembershipCursor, MyMembershipView } from '../../shared/my-memberships';

export interface MyMembershipsPage {
  items: MyMembershipView[];
  nextCursor: string | null;
}

/** A page of the signed-in user's memberships, in the order they joined; `after` = the cursor (exclusive). */
export class ListMyMembershipsQuery extends Query<MyMembershipsPage> {
  constructor(
    readonly userId: string,
    readonly limit: number,
    readonly after: MembershipCursor | null,
  ) {
    super();
  }
}
