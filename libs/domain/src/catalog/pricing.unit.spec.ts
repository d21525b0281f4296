import {
  addSeconds,
  chargeForElapsed,
  divideHalfUp,
  duePeriods,
  hourlyPriceOf,
  HOURS_PER_MONTH,
  monthlyPriceOf,
  periodBounds,
  secondsBetween,
  vpsChargeId,
  vpsChargeIdPrefix,
} from './pricing';

const plan = { baseMonthlyPrice: 5_000_000n, markup: 0n, backupUpcharge: 1_000_000n };

describe('monthlyPriceOf / hourlyPriceOf', () => {
  it('is base + markup, plus the backup upcharge only with backups', () => {
    const marked = { ...plan, markup: 500_000n };
    expect(monthlyPriceOf(marked, { backups: false })).toBe(5_500_000n);
    expect(monthlyPriceOf(marked, { backups: true })).toBe(6_500_000n);
    expect(monthlyPriceOf(marked, true)).toBe(6_500_000n);
  });

  it('divides by 730 hours, half-up to the micro-dollar', () => {
    expect(HOURS_PER_MONTH).toBe(730n);
    expect(hourlyPriceOf(plan, { backups: false })).toBe(6849n); // 6849.315…
    expect(hourlyPriceOf(plan, { backups: true })).toBe(8219n); // 8219.178…
    expect(hourlyPriceOf({ ...plan, baseMonthlyPrice: 365n }, false)).toBe(1n); // exactly 0.5 → up
    expect(hourlyPriceOf({ ...plan, baseMonthlyPrice: 364n }, false)).toBe(0n); // 0.498… → down
    expect(hourlyPriceOf({ ...plan, baseMonthlyPrice: 7_300_000n }, false)).toBe(10_000n); // exact
  });

  it('divideHalfUp rounds halves up and refuses nonsense', () => {
    expect(divideHalfUp(5n, 2n)).toBe(3n);
    expect(divideHalfUp(7n, 3n)).toBe(2n);
    expect(() => divideHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => divideHalfUp(-1n, 2n)).toThrow(RangeError);
  });
});

describe('chargeForElapsed', () => {
  it('prorates exactly, half-up', () => {
    expect(chargeForElapsed(6849n, 1800, 3600)).toBe(3425n); // 3424.5 → 3425
    expect(chargeForElapsed(6849n, 60, 3600)).toBe(114n); // 114.15
    expect(chargeForElapsed(10_000n, 36, 3600)).toBe(100n); // $0.01 an hour → $0.0001
    expect(chargeForElapsed(10_000n, 1n, 3600n)).toBe(3n); // 2.77…
    expect(chargeForElapsed(10_000n, 0.5, 3600)).toBe(1n); // 1.38…, milliseconds count
  });

  it('clamps to [0, the whole period]', () => {
    expect(chargeForElapsed(6849n, 0, 3600)).toBe(0n);
    expect(chargeForElapsed(6849n, -10, 3600)).toBe(0n);
    expect(chargeForElapsed(6849n, 3600, 3600)).toBe(6849n);
    expect(chargeForElapsed(6849n, 99_999, 3600)).toBe(6849n);
  });

  it('refuses a non-positive period or a negative price', () => {
    expect(() => chargeForElapsed(1n, 1, 0)).toThrow(RangeError);
    expect(() => chargeForElapsed(-1n, 1, 60)).toThrow(RangeError);
    expect(() => chargeForElapsed(1n, Number.NaN, 60)).toThrow(RangeError);
  });
});

describe('periods', () => {
  it('periodBounds is [billedUntil, billedUntil + period) in canonical ISO', () => {
    expect(periodBounds('2026-01-01T00:59:59Z', 3600)).toEqual({
      periodStart: '2026-01-01T00:59:59.000Z',
      periodEnd: '2026-01-01T01:59:59.000Z',
    });
    expect(() => periodBounds('yesterday', 3600)).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => periodBounds('2026-01-01T00:00:00Z', 0)).toThrow(RangeError);
  });

  it('duePeriods lists whole periods ended by now, bounded', () => {
    expect(duePeriods('2026-01-01T00:00:00.000Z', '2026-01-01T02:30:00.000Z', 3600)).toEqual([
      { periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-01-01T01:00:00.000Z' },
      { periodStart: '2026-01-01T01:00:00.000Z', periodEnd: '2026-01-01T02:00:00.000Z' },
    ]);
    expect(duePeriods('2026-01-01T00:00:00.000Z', '2026-01-01T00:59:59.999Z', 3600)).toEqual([]);
    expect(duePeriods('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 60, 3)).toHaveLength(3);
  });

  it('addSeconds / secondsBetween / vpsChargeId', () => {
    expect(addSeconds('2026-01-01T00:00:00Z', 90)).toBe('2026-01-01T00:01:30.000Z');
    expect(secondsBetween('2026-01-01T00:00:00Z', '2026-01-01T00:00:01.500Z')).toBe(1.5);
    expect(vpsChargeId('v1', '2026-01-01T00:00:00.000Z')).toBe('vps-v1:2026-01-01T00:00:00.000Z');
    expect(vpsChargeId('v1', '2026-01-01T00:00:00.000Z').startsWith(vpsChargeIdPrefix('v1'))).toBe(true);
    // A server's prefix never matches another server whose id starts with the same characters.
    expect(vpsChargeId('v12', '2026-01-01T00:00:00.000Z').startsWith(vpsChargeIdPrefix('v1'))).toBe(false);
  });
});
