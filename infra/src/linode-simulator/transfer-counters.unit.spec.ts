import { defaultTransferRate, TransferCounters } from './transfer-counters';

const at = (iso: string) => Date.parse(iso);
const server = { id: 10_000_003, createdMs: at('2026-11-10T00:00:00Z'), deletedMs: null, transferGb: 1000 };

describe('simulated transfer counters', () => {
  it('count the month from the creation at the instance rate, and start again at 0 each month', () => {
    const counters = new TransferCounters();
    const rate = defaultTransferRate(server.id);
    expect(counters.usedAt(server, at('2026-11-10T00:00:00Z'))).toBe(0);
    expect(counters.usedAt(server, at('2026-11-10T01:00:00Z'))).toBe(3600 * rate);
    expect(counters.usedAt(server, at('2026-12-01T00:00:10Z'))).toBe(10 * rate);
  });

  it('grow from the value set at the rate set, until the month ends', () => {
    const counters = new TransferCounters();
    counters.set(server.id, at('2026-11-20T00:00:00Z'), 5_000_000_000_123, 2);
    expect(counters.usedAt(server, at('2026-11-20T00:00:00Z'))).toBe(5_000_000_000_123);
    expect(counters.usedAt(server, at('2026-11-20T00:00:01.500Z'))).toBe(5_000_000_000_126);
    expect(counters.usedAt(server, at('2026-12-01T00:00:01Z'))).toBe(2);
  });

  it('stop at the deletion', () => {
    const counters = new TransferCounters();
    counters.set(server.id, at('2026-11-20T00:00:00Z'), 100, 1);
    const deleted = { ...server, deletedMs: at('2026-11-20T00:00:10Z') };
    expect(counters.usedAt(deleted, at('2026-11-25T00:00:00Z'))).toBe(110);
  });

  it('prorate the quota by the hours the instance exists in the month, in whole GB', () => {
    const counters = new TransferCounters();
    // Created on the 10th of a 30-day month: 21 days of 30 → 700 GB.
    expect(counters.current(server, at('2026-11-15T00:00:00Z')).quota).toBe(700);
    expect(
      counters.current({ ...server, createdMs: at('2026-01-01T00:00:00Z') }, at('2026-11-15T00:00:00Z'))
        .quota,
    ).toBe(1000);
  });

  it('say the billable GB past the quota, rounded up', () => {
    const counters = new TransferCounters();
    counters.set(server.id, at('2026-11-15T00:00:00Z'), 700_000_000_001, 0);
    expect(counters.current(server, at('2026-11-15T00:00:00Z'))).toEqual({
      used: 700_000_000_001,
      quota: 700,
      billable: 1,
    });
  });
});
