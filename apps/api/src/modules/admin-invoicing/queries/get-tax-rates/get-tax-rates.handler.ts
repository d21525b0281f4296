import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TaxRateEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { TaxRatesResponseDto } from '../../commands/set-tax-rates/set-tax-rates.request.dto';
import { GetTaxRatesQuery } from './get-tax-rates.query';

@QueryHandler(GetTaxRatesQuery)
export class GetTaxRatesHandler implements IQueryHandler<GetTaxRatesQuery, TaxRatesResponseDto> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(): Promise<TaxRatesResponseDto> {
    const rows = await this.orm.em.fork().find(TaxRateEntity, {}, { orderBy: { country: 'asc' } });
    return {
      rates: rows.map((row) => ({
        country: row.country,
        rate: row.rate,
        updatedAt: row.updatedAt.toISOString(),
      })),
    };
  }
}
