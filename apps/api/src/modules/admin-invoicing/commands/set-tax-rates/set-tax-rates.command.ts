import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { TaxRateDto } from './set-tax-rates.request.dto';

export interface SetTaxRatesResult {
  rates: TaxRateDto[];
  position: Position | null;
}

/** Staff replace every country's tax rate (the domain checks countries and rates). */
export class SetTaxRatesCommand extends Command<SetTaxRatesResult> {
  constructor(
    readonly rates: TaxRateDto[],
    readonly context: CommandContext,
  ) {
    super();
  }
}
