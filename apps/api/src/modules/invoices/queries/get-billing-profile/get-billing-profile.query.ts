import { Query } from '@nestjs/cqrs';
import type { BillingProfileResponseDto } from '../../commands/update-billing-profile/update-billing-profile.request.dto';

export class GetBillingProfileQuery extends Query<BillingProfileResponseDto> {
  constructor(readonly organizationId: string) {
    super();
  }
}
