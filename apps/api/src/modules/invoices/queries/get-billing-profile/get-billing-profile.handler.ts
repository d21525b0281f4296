import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BillingProfileEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { BillingProfileResponseDto } from '../../commands/update-billing-profile/update-billing-profile.request.dto';
import { GetBillingProfileQuery } from './get-billing-profile.query';

@QueryHandler(GetBillingProfileQuery)
export class GetBillingProfileHandler implements IQueryHandler<
  GetBillingProfileQuery,
  BillingProfileResponseDto
> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetBillingProfileQuery): Promise<BillingProfileResponseDto> {
    const row = await this.orm.em
      .fork()
      .findOne(BillingProfileEntity, { organizationId: query.organizationId });
    return {
      profile: row
        ? { legalName: row.legalName, address: row.address, country: row.country, taxId: row.taxId }
        : null,
      updatedAt: row ? row.updatedAt.toISOString() : null,
    };
  }
}
