import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  BYTES_PER_GB,
  DEFAULT_TRANSFER_PRICE_PER_GB,
  parseTransferChargeId,
  parseUsedBytes,
  previousTransferMonth,
  transferChargeId,
  transferHourOf,
  transferMeterDecider,
  transferMonthBill,
  transferMonthBounds,
  transferMonthDecider,
  transferMonthOf,
  transferOverageAmount,
  transferPriceAt,
  transferPriceDecider,
  type TransferMeasured,
  type RecordTransferMeasurement,
} from './transfer';

const meta = metadataFor('system');
const VPS = 'vps-1';
const ORG = 'org-1';

const measured = (hour: string, usedBytes: string, quotaGb = 1000): TransferMeasured => ({
  type: 'TransferMeasured',
  data: { vpsId: VPS, organizationId: ORG, month: hour.slice(0, 7), hour, usedBytes, quotaGb },
});
const measure = (hour: string, usedBytes: bigint, quotaGb = 1000): RecordTransferMeasurement => ({
  type: 'RecordTransferMeasurement',
  data: { vpsId: VPS, organizationId: ORG, hour, usedBytes, quotaGb },
  metadata: meta,
});

describe('transfer months and hours', () => {
  it('names the UTC month and hour of an instant', () => {
    expect(transferMonthOf('2026-12-31T23:59:59.999Z')).toBe('2026-12');
    expect(transferMonthOf('2027-01-01T00:00:00.000Z')).toBe('2027-01');
    expect(transferHourOf('2026-12-06T23:59:59.999Z')).toBe('2026-12-06T23:00:00.000Z');
    expect(previousTransferMonth('2027-01')).toBe('2026-12');
    expect(transferMonthBounds('2024-02')).toEqual({
      start: Date.parse('2024-02-01T00:00:00Z'),
      end: Date.parse('2024-03-01T00:00:00Z'),
    });
    expect(() => transferMonthBounds('2024-13')).toThrow(RangeError);
  });

  it('charge ids name the organization and the month, and parse back', () => {
    const id = transferChargeId('0b9c-org:x', '2026-11');
    expect(id).toBe('transfer-0b9c-org:x:2026-11');
    expect(parseTransferChargeId(id)).toEqual({ organizationId: '0b9c-org:x', month: '2026-11' });
    expect(parseTransferChargeId('vps-1:2026-11-01T00:00:00.000Z')).toBeNull();
    expect(parseTransferChargeId('transfer-org:2026-13')).toBeNull();
  });

  it('keeps provider counters exact, refusing anything but non-negative integers', () => {
    expect(parseUsedBytes(9_007_199_254_740_991)).toBe(9_007_199_254_740_991n);
    expect(parseUsedBytes('123456789012345678901')).toBe(123456789012345678901n);
    for (const bad of [-1, 1.5, 9_007_199_254_740_992, '01', '1e9', null]) {
      expect(() => parseUsedBytes(bad)).toThrow(RangeError);
    }
  });
});

describe('overage amount (bytes × price per 10^9 bytes, half-up once)', () => {
  it.each([
    // bytes, price per GB (micros), micros
    [0n, 5_000n, 0n],
    [BYTES_PER_GB, 5_000n, 5_000n],
    [1n, 5_000n, 0n], // 0.000005 micros
    [99_999n, 5_000n, 0n], // 0.499995 micros
    [100_000n, 5_000n, 1n], // exactly 0.5 micros: up
    [100_001n, 5_000n, 1n],
    [299_999n, 5_000n, 1n], // 1.499995
    [300_000n, 5_000n, 2n], // 1.5
    [1_500_000_001n, 10_000n, 15_000n], // 15000.00001
    [123_456_789_012_345n, 7_777n, 960_123_448n], // 960123448.249...
  ])('%s bytes at %s micros/GB = %s micros', (bytes, price, micros) => {
    expect(transferOverageAmount(bytes, price)).toBe(micros);
  });

  it('rounds the pooled total once, not each server (no byte lost to per-server rounding)', () => {
    // Three servers 0.4 micro each over: rounded per server 0, pooled 1.2 → 1.
    const servers = [0, 1, 2].map(() => ({ usedBytes: 80_000n, quotaGb: 0 }));
    const bill = transferMonthBill('2026-11', servers, 5_000n);
    expect(bill.overageBytes).toBe(240_000n);
    expect(bill.amount).toBe(1n);
  });
});

describe('the pool of an organization', () => {
  it('pools usage and allowance across servers: one under its quota covers another over it', () => {
    const bill = transferMonthBill(
      '2026-11',
      [
        { usedBytes: 1_500n * BYTES_PER_GB + 7n, quotaGb: 1000 },
        { usedBytes: 100n * BYTES_PER_GB, quotaGb: 1000 },
      ],
      DEFAULT_TRANSFER_PRICE_PER_GB,
    );
    expect(bill).toMatchObject({ overageBytes: 0n, amount: 0n, allowanceBytes: 2000n * BYTES_PER_GB });
  });

  it('bills only the bytes past the pooled allowance, exact to the byte', () => {
    const bill = transferMonthBill(
      '2026-11',
      [
        { usedBytes: 1_500n * BYTES_PER_GB + 7n, quotaGb: 1000 },
        { usedBytes: 600n * BYTES_PER_GB, quotaGb: 1000 },
      ],
      10_000n,
    );
    expect(bill.usedBytes).toBe(2_100n * BYTES_PER_GB + 7n);
    expect(bill.overageBytes).toBe(100n * BYTES_PER_GB + 7n);
    expect(bill.amount).toBe(1_000_000n); // $1.00 (7 bytes are 0.00007 micros)
  });

  it('owes nothing without servers', () => {
    expect(transferMonthBill('2026-11', [], 5_000n)).toMatchObject({ usedBytes: 0n, amount: 0n });
  });
});

describe('the price in effect at a month end', () => {
  it('is the default until staff set one, then the last set before the end', () => {
    expect(transferPriceAt([], '2026-11')).toBe(DEFAULT_TRANSFER_PRICE_PER_GB);
    const changes = [
      { pricePerGb: 7_000n, occurredAt: '2026-10-15T00:00:00.000Z' },
      { pricePerGb: 9_000n, occurredAt: '2026-11-30T23:59:59.999Z' },
      { pricePerGb: 1_000n, occurredAt: '2026-12-01T00:00:00.000Z' },
    ];
    expect(transferPriceAt(changes, '2026-10')).toBe(7_000n);
    expect(transferPriceAt(changes, '2026-11')).toBe(9_000n);
    expect(transferPriceAt(changes, '2026-12')).toBe(1_000n);
    expect(transferPriceAt(changes, '2026-09')).toBe(DEFAULT_TRANSFER_PRICE_PER_GB);
  });
});

describe('transfer meter (a server month)', () => {
  const spec = DeciderSpecification.for(transferMeterDecider);

  describe('empty', () => {
    it('records the hour of the measurement, bytes as an exact decimal string', () => {
      spec
        .given([])
        .when(measure('2026-11-03T10:42:00.000Z', 22_956_600_198_123n))
        .then([measured('2026-11-03T10:00:00.000Z', '22956600198123')]);
    });
    it('refuses negative counters', () => {
      spec
        .given([])
        .when(measure('2026-11-03T10:00:00.000Z', -1n))
        .thenThrows('validation', 'invalid_transfer');
    });
  });

  describe('measuring', () => {
    const first = measured('2026-11-03T10:00:00.000Z', '1000');
    it('records nothing for an hour already measured (the activity ran twice)', () => {
      spec.given([first]).when(measure('2026-11-03T10:59:59.000Z', 2000n)).then([]);
    });
    it('records the next hour', () => {
      spec
        .given([first])
        .when(measure('2026-11-03T11:00:00.000Z', 2000n, 900))
        .then([measured('2026-11-03T11:00:00.000Z', '2000', 900)]);
    });
    it('refuses an hour of another month', () => {
      spec
        .given([first])
        .when(measure('2026-12-01T00:00:00.000Z', 1n))
        .thenThrows('validation', 'wrong_stream');
    });
    it('keeps the largest counter and the latest quota', () => {
      const state = spec
        .given([first, measured('2026-11-03T12:00:00.000Z', '900', 500)])
        .when(measure('2026-11-03T12:00:00.000Z', 5n))
        .then([]);
      expect(state).toMatchObject({ server: { usedBytes: 1000n, quotaGb: 500, measurements: 2 } });
    });
  });
});

describe('transfer month (closed once)', () => {
  const spec = DeciderSpecification.for(transferMonthDecider);
  const bill = transferMonthBill('2026-11', [{ usedBytes: 2n * BYTES_PER_GB, quotaGb: 1 }], 5_000n);
  const close = {
    type: 'CloseTransferMonth' as const,
    data: {
      organizationId: ORG,
      bill,
      chargeId: transferChargeId(ORG, '2026-11'),
      outcome: 'charged' as const,
    },
    metadata: meta,
  };
  describe('open', () => {
    it('records the bill', () => {
      spec
        .given([])
        .when(close)
        .then([
          {
            type: 'TransferMonthClosed',
            data: {
              organizationId: ORG,
              month: '2026-11',
              servers: 1,
              usedBytes: '2000000000',
              allowanceBytes: '1000000000',
              overageBytes: '1000000000',
              pricePerGb: '0.005000',
              amount: '0.005000',
              chargeId: 'transfer-org-1:2026-11',
              outcome: 'charged',
            },
          },
        ]);
    });
  });
  describe('closed', () => {
    it('records nothing again', () => {
      const closed = transferMonthDecider.decide(close, transferMonthDecider.initialState());
      spec.given(closed).when(close).then([]);
    });
  });
});

describe('transfer price (staff)', () => {
  const spec = DeciderSpecification.for(transferPriceDecider);
  const set = (pricePerGb: unknown) => ({
    type: 'SetTransferPrice' as const,
    data: { pricePerGb },
    metadata: metadataFor('admin-1'),
  });
  describe('default', () => {
    it('sets a price, saying the previous one', () => {
      spec
        .given([])
        .when(set('0.01'))
        .then([{ type: 'TransferPriceSet', data: { pricePerGb: '0.010000', previous: '0.005000' } }]);
    });
    it.each([[0.01], ['-1'], ['100.000001'], ['abc'], [null]])('refuses %p', (price) => {
      spec.given([]).when(set(price)).thenThrows('validation', 'invalid_amount');
    });
  });
  describe('set', () => {
    const setEvent = {
      type: 'TransferPriceSet' as const,
      data: { pricePerGb: '0.010000', previous: '0.005000' },
    };
    it('records nothing for the same price', () => {
      spec.given([setEvent]).when(set('0.010')).then([]);
    });
    it('accepts a free transfer (0)', () => {
      spec
        .given([setEvent])
        .when(set('0'))
        .then([{ type: 'TransferPriceSet', data: { pricePerGb: '0.000000', previous: '0.010000' } }]);
    });
  });
});
