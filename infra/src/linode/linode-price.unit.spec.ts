import { linodePriceToMicros, linodePriceToMoney } from './linode-price';

describe('linodePriceToMoney', () => {
  it.each([
    [5, '5.000000'],
    [0.0075, '0.007500'],
    [2.5, '2.500000'],
    [0.1 + 0.2, '0.300000'], // 0.30000000000000004: sub-micro noise rounds away
    [1e-7, '0.000000'],
    [5e-7, '0.000001'],
    [1e21, '1000000000000000000000.000000'],
    [0, '0.000000'],
  ])('%p → %s', (price, expected) => {
    expect(linodePriceToMoney(price)).toBe(expected);
  });

  it('rejects what is not a price', () => {
    for (const bad of [-1, Number.NaN, Infinity, '5', null])
      expect(() => linodePriceToMicros(bad)).toThrow(RangeError);
  });
});
