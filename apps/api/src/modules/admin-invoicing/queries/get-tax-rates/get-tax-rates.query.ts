import { Query } from '@nestjs/cqrs';
import type { TaxRatesResponseDto } from '../../commands/set-tax-rates/set-tax-rates.request.dto';

export class GetTaxRatesQuery extends Query<TaxRatesResponseDto> {}
