import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import type { TaxRatesEvent } from './invoice.events';
import { formatTaxRate, parseCountryCode, parseTaxRate } from './tax';

/** The one stream of staff-set tax rates (`streams.taxRates()`). */
export const MAX_TAX_RATES = 300;

/** Replace every rate: countries left out are removed; unchanged ones record nothing. */
export type SetTaxRates = Command<'SetTaxRates', { rates: unknown }>;

export interface TaxRatesState {
  /** Country → basis points of a percent. */
  rates: Readonly<Record<string, number>>;
}

/** The rate that applies to `country` (0 for a country without one, or no country). */
export function taxRateFor(state: TaxRatesState, country: string | null): number {
  return country !== null ? (state.rates[country] ?? 0) : 0;
}

function parseRates(input: unknown): Map<string, number> {
  if (!Array.isArray(input) || input.length > MAX_TAX_RATES) {
    throw new DomainError('validation', 'invalid_rates', `rates must be a list of at most ${MAX_TAX_RATES}`, {
      field: 'rates',
    });
  }
  const rates = new Map<string, number>();
  input.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new DomainError('validation', 'invalid_rates', `rates[${index}] must be {country, rate}`, {
        field: `rates[${index}]`,
      });
    }
    const { country, rate } = entry as { country?: unknown; rate?: unknown };
    const code = parseCountryCode(country, `rates[${index}].country`);
    if (rates.has(code)) {
      throw new DomainError('validation', 'duplicate_country', `${code} is listed twice`, {
        field: `rates[${index}].country`,
      });
    }
    rates.set(code, parseTaxRate(rate, `rates[${index}].rate`));
  });
  return rates;
}

export const taxRatesDecider: Decider<TaxRatesState, SetTaxRates, TaxRatesEvent> = {
  initialState: () => ({ rates: {} }),
  evolve(state, event) {
    switch (event.type) {
      case 'TaxRateSet': {
        const [whole, fraction] = event.data.rate.split('.');
        return { rates: { ...state.rates, [event.data.country]: Number(whole) * 100 + Number(fraction) } };
      }
      case 'TaxRateRemoved': {
        const rates = { ...state.rates };
        delete rates[event.data.country];
        return { rates };
      }
      default:
        return assertNever(event);
    }
  },
  decide(command, state) {
    const next = parseRates(command.data.rates);
    const events: TaxRatesEvent[] = [];
    for (const country of Object.keys(state.rates).sort()) {
      if (!next.has(country)) events.push({ type: 'TaxRateRemoved', data: { country } });
    }
    for (const [country, rate] of [...next].sort(([a], [b]) => a.localeCompare(b))) {
      if (state.rates[country] !== rate) {
        events.push({ type: 'TaxRateSet', data: { country, rate: formatTaxRate(rate) } });
      }
    }
    return events;
  },
};
