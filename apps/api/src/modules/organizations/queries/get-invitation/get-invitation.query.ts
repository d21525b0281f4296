import { Query } from '@nestjs/cqrs';
import type { InvitationForYouDto } from '../../shared/invitation.dto';

export class GetInvitationQuery extends Query<InvitationForYouDto> {
  constructor(
    readonly token: string,
    readonly userId: string,
  ) {
    super();
  }
}
