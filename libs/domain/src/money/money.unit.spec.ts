import { DomainError } from '../shared/decider';
import {
  MAX_MONEY_MICROS,
  MICROS_PER_DOLLAR,
  absMoney,
  formatMoney,
  isMoneyString,
  maxMoney,
  minMoney,
  money,
  parseMoney,
  sumMoney,
  type ParseMoneyOptions,
} from './money';

function parseError(input: unknown, options?: ParseMoneyOptions): DomainError {
  let caught: unknown;
  try {
    parseMoney(input, options);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  return caught as DomainError;
}

describe('parseMoney', () => {
  describe('accepts decimal strings', () => {
    it.each([
      ['1', 1_000_000n],
      ['12.345678', 12_345_678n],
      ['0.5', 500_000n],
      ['0.000001', 1n],
      ['10', 10_000_000n],
      ['1.0', 1_000_000n],
      ['1.000000', 1_000_000n],
      ['999999999.999999', 999_999_999_999_999n],
      ['1000000000', MAX_MONEY_MICROS],
      ['1000000000.000000', MAX_MONEY_MICROS],
    ])('%s -> %s micros', (input, expected) => {
      expect(parseMoney(input)).toBe(expected);
    });
  });

  describe('rejects anything that is not a string', () => {
    it.each<[string, unknown]>([
      ['a float', 12.5],
      ['an integer', 12],
      ['zero as a number', 0],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['a bigint', 5n],
      ['null', null],
      ['undefined', undefined],
      ['a boolean', true],
      ['an object', { amount: '1' }],
      ['an array', ['1']],
    ])('%s', (_label, input) => {
      const error = parseError(input);
      expect(error.code).toBe('validation');
      expect(error.reason).toBe('invalid_amount');
      expect(error.message).toMatch(/decimal string/);
      expect(error.details).toMatchObject({ field: 'amount' });
    });
  });

  describe('rejects malformed strings', () => {
    it.each([
      [''],
      [' '],
      [' 1'],
      ['1 '],
      ['1\n'],
      ['\t1'],
      ['1 000'],
      ['1,5'],
      ['1_000'],
      ['+1'],
      ['--1'],
      ['- 1'],
      ['1e3'],
      ['1E3'],
      ['1e-3'],
      ['0x10'],
      ['NaN'],
      ['Infinity'],
      ['-Infinity'],
      ['.5'],
      ['5.'],
      ['.'],
      ['-'],
      ['-.5'],
      ['1.2.3'],
      ['abc'],
      ['12a'],
      ['１２'], // full-width digits
      ['1.0000001'],
      ['1.0000000'], // seven decimals, even zeros
      ['0.1234567'],
      ['00'],
      ['00.1'],
      ['007'],
      ['-01'],
    ])('%j', (input) => {
      const error = parseError(input);
      expect(error.code).toBe('validation');
      expect(error.reason).toBe('invalid_amount');
      expect(error.details).toMatchObject({ field: 'amount', value: input });
    });
  });

  describe('sign and zero policy', () => {
    it('rejects negatives by default', () => {
      expect(parseError('-3').message).toMatch(/negative/);
      expect(parseError('-0.000001').message).toMatch(/negative/);
    });

    it('accepts negatives when allowed', () => {
      expect(parseMoney('-3', { allowNegative: true })).toBe(-3_000_000n);
      expect(parseMoney('-0.000001', { allowNegative: true })).toBe(-1n);
      expect(parseMoney('-12.345678', { allowNegative: true })).toBe(-12_345_678n);
    });

    it('rejects zero by default', () => {
      expect(parseError('0').message).toMatch(/zero/);
      expect(parseError('0.0').message).toMatch(/zero/);
      expect(parseError('0.000000').message).toMatch(/zero/);
    });

    it('accepts zero when allowed', () => {
      expect(parseMoney('0', { allowZero: true })).toBe(0n);
      expect(parseMoney('0.000000', { allowZero: true })).toBe(0n);
    });

    it('rejects negative zero even when negatives and zero are allowed', () => {
      for (const input of ['-0', '-0.0', '-0.000000']) {
        expect(parseError(input, { allowNegative: true, allowZero: true }).reason).toBe('invalid_amount');
      }
    });
  });

  describe('magnitude bound', () => {
    it('accepts exactly the default maximum and rejects one micro more', () => {
      expect(parseMoney('1000000000.000000')).toBe(MAX_MONEY_MICROS);
      const error = parseError('1000000000.000001');
      expect(error.message).toMatch(/exceed 1000000000\.000000/);
      expect(error.details).toMatchObject({ max: '1000000000.000000' });
    });

    it('applies the bound to the absolute value of negatives', () => {
      expect(parseMoney('-1000000000', { allowNegative: true })).toBe(-MAX_MONEY_MICROS);
      expect(parseError('-1000000000.000001', { allowNegative: true }).details).toMatchObject({
        max: '1000000000.000000',
      });
    });

    it('honours a custom max', () => {
      expect(parseMoney('5', { max: 5n * MICROS_PER_DOLLAR })).toBe(5_000_000n);
      expect(parseError('5.000001', { max: 5n * MICROS_PER_DOLLAR }).reason).toBe('invalid_amount');
    });

    it('rejects absurd lengths before parsing', () => {
      expect(parseError('9'.repeat(33)).message).toMatch(/too long/);
      expect(parseError('1'.repeat(10_000)).details?.value).toHaveLength(40);
      expect(parseError('99999999999999999999').message).toMatch(/exceed/);
    });
  });

  it('names the field in the message and details', () => {
    const error = parseError('1.5x', { field: 'credit' });
    expect(error.message).toMatch(/^credit /);
    expect(error.details).toMatchObject({ field: 'credit', value: '1.5x' });
  });
});

describe('formatMoney', () => {
  it.each([
    [0n, '0.000000'],
    [1n, '0.000001'],
    [-1n, '-0.000001'],
    [12_340_000n, '12.340000'],
    [-12_340_000n, '-12.340000'],
    [1_000_000n, '1.000000'],
    [999_999n, '0.999999'],
    [-999_999n, '-0.999999'],
    [MAX_MONEY_MICROS, '1000000000.000000'],
    [10n ** 30n, '1000000000000000000000000.000000'],
  ])('%s -> %s', (micros, expected) => {
    expect(formatMoney(micros)).toBe(expected);
  });

  it('round-trips through money() for a spread of values', () => {
    const values = [
      0n,
      1n,
      -1n,
      5n,
      999_999n,
      1_000_000n,
      1_000_001n,
      -123_456_789n,
      MAX_MONEY_MICROS,
      10n ** 25n,
    ];
    for (const value of values) expect(money(formatMoney(value))).toBe(value);
  });

  it('rejects non-bigint input at run time', () => {
    expect(() => formatMoney(1.5 as unknown as bigint)).toThrow(TypeError);
  });
});

describe('money (trusted decoding)', () => {
  it('accepts any sign, zero and magnitude beyond the input bound', () => {
    expect(money('0')).toBe(0n);
    expect(money('-5.5')).toBe(-5_500_000n);
    expect(money('2000000000.000000')).toBe(2n * MAX_MONEY_MICROS);
    expect(money(formatMoney(10n ** 40n))).toBe(10n ** 40n);
  });

  it.each([['1e3'], [' 1'], ['-0'], ['1.1234567'], [''], ['+1']])('throws on malformed %j', (input) => {
    expect(() => money(input)).toThrow(/Malformed money string/);
  });

  it('throws on non-strings', () => {
    expect(() => money(5 as unknown as string)).toThrow(/Malformed money string/);
  });
});

describe('isMoneyString', () => {
  it('recognises the syntax', () => {
    expect(isMoneyString('1.500000')).toBe(true);
    expect(isMoneyString('-1')).toBe(true);
    expect(isMoneyString('0')).toBe(true);
    expect(isMoneyString('-0')).toBe(false);
    expect(isMoneyString('1.5 ')).toBe(false);
    expect(isMoneyString(1.5)).toBe(false);
  });
});

describe('arithmetic helpers', () => {
  it('sumMoney adds any iterable, empty is zero', () => {
    expect(sumMoney([])).toBe(0n);
    expect(sumMoney([1n, 2n, -4n])).toBe(-1n);
    expect(sumMoney(new Set([MAX_MONEY_MICROS, MAX_MONEY_MICROS]))).toBe(MAX_MONEY_MICROS);
  });

  it('absMoney, minMoney, maxMoney', () => {
    expect(absMoney(-3n)).toBe(3n);
    expect(absMoney(3n)).toBe(3n);
    expect(minMoney(-1n, 2n)).toBe(-1n);
    expect(maxMoney(-1n, 2n)).toBe(2n);
  });
});
