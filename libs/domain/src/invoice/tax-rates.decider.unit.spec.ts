import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import type { TaxRatesEvent } from './invoice.events';
import { taxRateFor, taxRatesDecider, type SetTaxRates } from './tax-rates.decider';

const spec = DeciderSpecification.for(taxRatesDecider);
const meta = metadataFor('admin-1');
const setRates = (rates: unknown): SetTaxRates => ({ type: 'SetTaxRates', data: { rates }, metadata: meta });
const set = (country: string, rate: string): TaxRatesEvent => ({
  type: 'TaxRateSet',
  data: { country, rate },
});

describe('tax rates', () => {
  describe('none set', () => {
    it('sets each rate, by country', () => {
      spec
        .given([])
        .when(
          setRates([
            { country: 'fr', rate: '20' },
            { country: 'DE', rate: '19' },
          ]),
        )
        .then([set('DE', '19.00'), set('FR', '20.00')]);
    });
    it.each([
      [
        [
          { country: 'DE', rate: '19' },
          { country: 'de', rate: '7' },
        ],
        'duplicate_country',
      ],
      [[{ country: 'DEU', rate: '19' }], 'invalid_country'],
      [[{ country: 'DE', rate: 19 }], 'invalid_tax_rate'],
      [[{ country: 'DE', rate: '101' }], 'invalid_tax_rate'],
      [[null], 'invalid_rates'],
      ['DE=19', 'invalid_rates'],
    ])('rejects %p', (rates, reason) => {
      spec.given([]).when(setRates(rates)).thenThrows('validation', reason);
    });
  });

  describe('rates set', () => {
    const history = [set('DE', '19.00'), set('FR', '20.00')];
    it('records only changes and removals', () => {
      spec
        .given(history)
        .when(
          setRates([
            { country: 'DE', rate: '19.00' },
            { country: 'AT', rate: '20' },
          ]),
        )
        .then([{ type: 'TaxRateRemoved', data: { country: 'FR' } }, set('AT', '20.00')]);
    });
    it('records nothing for the same rates', () => {
      spec
        .given(history)
        .when(
          setRates([
            { country: 'FR', rate: '20' },
            { country: 'DE', rate: '19' },
          ]),
        )
        .then([]);
    });
    it('answers the rate of a country, 0 for others', () => {
      const state = history.reduce(taxRatesDecider.evolve, taxRatesDecider.initialState());
      expect(taxRateFor(state, 'DE')).toBe(1900);
      expect(taxRateFor(state, 'US')).toBe(0);
      expect(taxRateFor(state, null)).toBe(0);
    });
  });
});
