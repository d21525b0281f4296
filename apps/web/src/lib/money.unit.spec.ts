import { dailySpend, monthStart, projectedMonthSpend } from './ledger';
import { formatMoney, fromMicros, naturalDecimals, sumMicros, toMicros } from './money';

describe('money', () => {
  it('reads and writes the API decimal strings exactly', () => {
    expect(toMicros('12.345678')).toBe(12_345_678n);
    expect(toMicros('-0.010958')).toBe(-10_958n);
    expect(toMicros('5')).toBe(5_000_000n);
    expect(fromMicros(-10_958n)).toBe('-0.010958');
    expect(() => toMicros('1e3')).toThrow();
    expect(() => toMicros('0.1234567')).toThrow();
    // 0.1 + 0.2 in floats is not 0.3; in micro-dollars it is.
    expect(fromMicros(sumMicros(['0.1', '0.2']))).toBe('0.300000');
  });

  it('formats with grouping, sign and rounding half away from zero', () => {
    expect(formatMoney('1234.5', { locale: 'en-US' })).toBe('$1,234.50');
    expect(formatMoney('-0.010958', { decimals: 6 })).toBe('-$0.010958');
    expect(formatMoney('0.005', { decimals: 2 })).toBe('$0.01');
    expect(formatMoney('-0.005', { decimals: 2 })).toBe('-$0.01');
    expect(formatMoney('25', { signed: true })).toBe('+$25.00');
    expect(formatMoney('0', { signed: true })).toBe('$0.00');
    expect(naturalDecimals('0.008219')).toBe(6);
    expect(naturalDecimals('6.000000')).toBe(2);
  });
});

describe('ledger figures', () => {
  // The API's hourly spend (charges minus refunds); a refund-only hour is negative.
  const hours = [
    { hour: '2026-10-31T23:00:00.000Z', amount: '1.000000' },
    { hour: '2026-11-02T11:00:00.000Z', amount: '0.010958' },
    { hour: '2026-11-03T11:00:00.000Z', amount: '0.010958' },
    { hour: '2026-11-03T12:00:00.000Z', amount: '-0.005000' },
  ];
  const now = new Date('2026-11-03T20:00:00Z');

  it('the month starts on the 1st, UTC', () => {
    expect(monthStart(now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('projects the month with the running servers until month end', () => {
    // 2026-11-03T20:00Z → 2026-12-01T00:00Z is 652 hours.
    expect(fromMicros(projectedMonthSpend(16_916n, ['0.010958'], now))).toBe(
      fromMicros(16_916n + 10_958n * 652n),
    );
  });

  it('spends per day, zero days included, in the given zone', () => {
    const days = dailySpend(hours, 5, now, 'UTC');
    expect(days.map((d) => [d.day, fromMicros(d.micros)])).toEqual([
      ['2026-10-30', '0.000000'],
      ['2026-10-31', '1.000000'],
      ['2026-11-01', '0.000000'],
      ['2026-11-02', '0.010958'],
      ['2026-11-03', '0.005958'],
    ]);
    // In Tokyo (UTC+9) the 23:00Z charge of Oct 31 falls on Nov 1.
    const tokyo = dailySpend(hours, 5, now, 'Asia/Tokyo');
    expect(tokyo.find((d) => d.day === '2026-11-01')?.micros).toBe(1_000_000n);
  });
});
