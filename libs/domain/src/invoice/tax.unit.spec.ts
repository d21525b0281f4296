import { DomainError } from '../shared/decider';
import { formatTaxRate, parseCountryCode, parseTaxRate, taxBreakdown } from './tax';

const usd = (text: string) => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
};

describe('tax rates', () => {
  it.each([
    ['20', 2000],
    ['7.25', 725],
    ['0', 0],
    ['100', 10000],
    ['19.6', 1960],
  ])('parses %s as %d basis points', (text, basisPoints) => {
    expect(parseTaxRate(text)).toBe(basisPoints);
    expect(parseTaxRate(formatTaxRate(basisPoints))).toBe(basisPoints);
  });

  it.each(['', '-1', '100.01', '101', '7.255', '1e1', ' 20', '020', 20])('rejects %p', (input) => {
    expect(() => parseTaxRate(input)).toThrow(DomainError);
  });

  it('formats basis points as a percentage with 2 decimals', () => {
    expect(formatTaxRate(2000)).toBe('20.00');
    expect(formatTaxRate(725)).toBe('7.25');
    expect(formatTaxRate(5)).toBe('0.05');
  });

  it('accepts two-letter country codes only, upper-casing them', () => {
    expect(parseCountryCode('de')).toBe('DE');
    expect(() => parseCountryCode('DEU')).toThrow(DomainError);
    expect(() => parseCountryCode('')).toThrow(DomainError);
    expect(() => parseCountryCode(null)).toThrow(DomainError);
  });
});

describe('taxBreakdown', () => {
  it('extracts the tax from a tax-inclusive amount, rounded half up to the cent', () => {
    // 20.00 at 20%: 20 × 20/120 = 3.3333… → 3.33
    expect(taxBreakdown(usd('20.00'), 2000, true)).toEqual({
      net: usd('16.67'),
      tax: usd('3.33'),
      gross: usd('20.00'),
    });
    // 10.00 at 19%: 10 × 19/119 = 1.59663… → 1.60
    expect(taxBreakdown(usd('10.00'), 1900, true)).toEqual({
      net: usd('8.40'),
      tax: usd('1.60'),
      gross: usd('10.00'),
    });
  });

  it('adds the tax to a tax-exclusive amount', () => {
    expect(taxBreakdown(usd('20.00'), 2000, false)).toEqual({
      net: usd('20.00'),
      tax: usd('4.00'),
      gross: usd('24.00'),
    });
    // 0.10 at 25%: 0.025 exactly half a cent → rounds up to 0.03
    expect(taxBreakdown(usd('0.10'), 2500, false).tax).toBe(usd('0.03'));
    // 0.10 at 24%: 0.024 → 0.02
    expect(taxBreakdown(usd('0.10'), 2400, false).tax).toBe(usd('0.02'));
  });

  it('charges no tax at a zero rate', () => {
    expect(taxBreakdown(usd('12.345678'), 0, true)).toEqual({
      net: usd('12.345678'),
      tax: 0n,
      gross: usd('12.345678'),
    });
  });

  it('always has net + tax == gross, in both modes, for many amounts and rates', () => {
    for (let cents = 1n; cents < 5000n; cents += 37n) {
      for (const rate of [0, 500, 725, 1900, 2000, 2500, 10000]) {
        for (const inclusive of [true, false]) {
          const { net, tax, gross } = taxBreakdown(cents * 10_000n, rate, inclusive);
          expect(net + tax).toBe(gross);
          expect(tax % 10_000n).toBe(0n);
          expect(tax).toBeGreaterThanOrEqual(0n);
        }
      }
    }
  });
});
