import type { VpsEvent } from '../vps/vps.events';
import { amountOwedFor, owedForServer, totalOwed, type TimedVpsEvent } from './owed';

const VPS = 'vps-1';
const T = (time: string) => `2026-01-01T${time}.000Z`;
const at = (occurredAt: string, event: VpsEvent): TimedVpsEvent => ({ event, occurredAt });

const requested = at(T('00:00:00'), {
  type: 'VpsRequested',
  data: {
    vpsId: VPS,
    organizationId: 'org-1',
    label: 'web-1',
    planId: 'plan-1',
    providerPlanId: 'g6-nanode-1',
    region: 'us-east',
    image: 'linode/ubuntu24.04',
    backups: false,
    sshKeyIds: [],
    encryptedRootPassword: 'x',
    hourlyPrice: '0.006849',
    monthlyPrice: '5.000000',
    idempotencyKey: 'k',
    workflowId: 'w',
  },
});
const activated = at(T('00:02:00'), {
  type: 'VpsActivated',
  data: {
    vpsId: VPS,
    providerInstanceId: '1',
    ipv4: '192.0.2.1',
    billingWorkflowId: 'b',
    billedUntil: T('01:00:00'),
  },
});
const firstHourCharged = at(T('00:00:01'), {
  type: 'VpsFirstHourCharged',
  data: {
    vpsId: VPS,
    chargeId: `vps-${VPS}:${T('00:00:00')}`,
    amount: '0.006849',
    periodStart: T('00:00:00'),
    periodEnd: T('01:00:00'),
  },
});
const suspended = (time: string) =>
  at(T(time), { type: 'VpsSuspended', data: { vpsId: VPS, reason: 'insufficient_funds', debt: '0.006849' } });
const resumed = (time: string) => at(T(time), { type: 'VpsResumed', data: { vpsId: VPS } });
const deletionRequested = (time: string) =>
  at(T(time), { type: 'VpsDeletionRequested', data: { vpsId: VPS } });
const DAY_START = T('00:00:00');
const DAY_END = '2026-01-02T00:00:00.000Z';

describe('owedForServer', () => {
  it('the first hour at the request, then one hourly price per period at its end', () => {
    const owed = owedForServer([requested, activated], DAY_START, T('03:00:00'), 3600);
    expect(owed).toEqual([
      {
        kind: 'first_hour',
        periodStart: T('00:00:00'),
        periodEnd: T('01:00:00'),
        amount: 6849n,
        chargeId: `vps-${VPS}:${T('00:00:00')}`,
        dueAt: T('00:00:00'),
      },
      {
        kind: 'period',
        periodStart: T('01:00:00'),
        periodEnd: T('02:00:00'),
        amount: 6849n,
        chargeId: `vps-${VPS}:${T('01:00:00')}`,
        dueAt: T('02:00:00'),
      },
    ]); // the period ending at 03:00 is due at the window's (exclusive) end
    expect(totalOwed(owedForServer([requested, activated], DAY_START, DAY_END, 3600))).toBe(23n * 6849n); // the first hour + periods due 02:00 … 23:00;
  });

  it('windows are half-open and add up', () => {
    const events = [requested, activated];
    const morning = owedForServer(events, DAY_START, T('12:00:00'), 3600);
    const afternoon = owedForServer(events, T('12:00:00'), DAY_END, 3600);
    expect(morning).toHaveLength(11); // the first hour + periods due 02:00 … 11:00
    expect(afternoon).toHaveLength(12);
    expect(afternoon[0].periodStart).toBe(T('11:00:00'));
    expect(totalOwed([...morning, ...afternoon])).toBe(
      totalOwed(owedForServer(events, DAY_START, DAY_END, 3600)),
    );
  });

  it('nothing while suspended; a partly suspended period is prorated', () => {
    const events = [requested, activated, suspended('02:00:00'), resumed('04:30:00')];
    const owed = owedForServer(events, T('01:30:00'), T('06:00:01'), 3600);
    expect(owed.map((p) => [p.periodStart, p.amount])).toEqual([
      [T('01:00:00'), 6849n],
      [T('04:00:00'), 3425n], // half of 6849, half-up
      [T('05:00:00'), 6849n],
    ]);
  });

  it('a still-suspended server owes nothing more', () => {
    const owed = owedForServer([requested, activated, suspended('01:00:00')], T('01:30:00'), DAY_END, 3600);
    expect(owed).toEqual([]);
  });

  it('the deletion ends billing with a prorated final charge', () => {
    const events = [requested, activated, deletionRequested('02:15:00')];
    const owed = owedForServer(events, T('01:30:00'), DAY_END, 3600);
    expect(owed).toEqual([
      expect.objectContaining({ kind: 'period', periodStart: T('01:00:00'), amount: 6849n }),
      {
        kind: 'final',
        periodStart: T('02:00:00'),
        periodEnd: T('03:00:00'),
        amount: 1712n, // 6849 / 4 = 1712.25
        chargeId: `vps-${VPS}:${T('02:00:00')}`,
        dueAt: T('02:15:00'),
      },
    ]);
  });

  it('$0.01 an hour prorates to the micro-dollar', () => {
    const cheap = {
      ...requested,
      event: { ...requested.event, data: { ...requested.event.data, hourlyPrice: '0.010000' } },
    } as TimedVpsEvent;
    const owed = owedForServer(
      [cheap, activated, deletionRequested('01:00:36')],
      T('00:30:00'),
      DAY_END,
      3600,
    );
    expect(owed).toEqual([expect.objectContaining({ kind: 'final', amount: 100n })]);
  });

  it('deleted within the first hour or after the first-hour charge: only the first hour', () => {
    expect(
      totalOwed(
        owedForServer([requested, activated, deletionRequested('00:30:00')], DAY_START, DAY_END, 3600),
      ),
    ).toBe(6849n);
    expect(
      totalOwed(
        owedForServer([requested, firstHourCharged, deletionRequested('00:01:00')], DAY_START, DAY_END, 3600),
      ),
    ).toBe(6849n);
  });

  it('failed provisioning with a refund owes nothing; a deletion on a period boundary owes no final charge', () => {
    const failed = at(T('00:05:00'), {
      type: 'VpsProvisioningFailed',
      data: { vpsId: VPS, stage: 'compensating', reason: 'x', instanceDeleted: true, refunded: true },
    });
    expect(owedForServer([requested, failed], DAY_START, DAY_END, 3600)).toEqual([]);
    const owed = owedForServer(
      [requested, activated, deletionRequested('02:00:00')],
      DAY_START,
      DAY_END,
      3600,
    );
    expect(owed.map((p) => p.kind)).toEqual(['first_hour', 'period']);
  });

  it('short periods (BILLING_PERIOD_SECONDS in tests) use the same rules', () => {
    const owed = owedForServer([requested, activated], T('01:00:00'), T('01:05:00'), 60);
    expect(owed).toHaveLength(4); // due 01:01 … 01:04; 01:05 is the window's exclusive end
    expect(owed[0]).toMatchObject({ periodStart: T('01:00:00'), periodEnd: T('01:01:00'), amount: 6849n });
  });

  it('no stream, no debt; bad input is refused', () => {
    expect(owedForServer([], DAY_START, DAY_END, 3600)).toEqual([]);
    expect(() => owedForServer([requested], DAY_START, DAY_END, 0)).toThrow(RangeError);
    expect(() => owedForServer([requested], 'then', DAY_END, 3600)).toThrow(
      expect.objectContaining({ code: 'validation' }),
    );
  });
});

describe('amountOwedFor (what the billing activities charge)', () => {
  it('a whole period costs the hourly price', () => {
    expect(amountOwedFor([requested, activated], T('01:00:00'), T('02:00:00'), 3600)).toBe(6849n);
  });

  it('nothing for a period spent suspended; prorated for a partly suspended one', () => {
    const events = [requested, activated, suspended('01:30:00')];
    expect(amountOwedFor(events, T('02:00:00'), T('03:00:00'), 3600)).toBe(0n);
    expect(amountOwedFor(events, T('01:00:00'), T('02:00:00'), 3600)).toBe(3425n);
    expect(amountOwedFor([...events, resumed('02:30:00')], T('02:00:00'), T('03:00:00'), 3600)).toBe(3425n);
  });

  it('the final period ends at the recorded deletion request, or at `until`', () => {
    expect(
      amountOwedFor(
        [requested, activated, deletionRequested('01:15:00')],
        T('01:00:00'),
        T('01:20:00'),
        3600,
      ),
    ).toBe(1712n);
    expect(amountOwedFor([requested, activated], T('01:00:00'), T('01:15:00'), 3600)).toBe(1712n);
    expect(amountOwedFor([requested, activated], T('01:00:00'), T('01:00:00'), 3600)).toBe(0n);
  });

  it('agrees with owedForServer period by period', () => {
    const events = [
      requested,
      activated,
      suspended('02:20:00'),
      resumed('04:10:00'),
      deletionRequested('06:45:00'),
    ];
    for (const period of owedForServer(events, DAY_START, DAY_END, 3600)) {
      if (period.kind === 'first_hour') continue;
      expect([period.chargeId, amountOwedFor(events, period.periodStart, period.dueAt, 3600)]).toEqual([
        period.chargeId,
        period.amount,
      ]);
    }
  });
});

describe('hours stuck in provisioning (billing starts at the later of the first hour end and activation)', () => {
  // The first hour charged at 00:00, the server running only at 07:00 (stuck, then retried by an operator).
  const lateActivation = (data: { billedUntil: string; activatedAt?: string }) =>
    at(T('07:00:00'), {
      type: 'VpsActivated',
      data: { vpsId: VPS, providerInstanceId: '1', ipv4: '192.0.2.1', billingWorkflowId: 'b', ...data },
    });

  it('a server activated with billing from its activation owes the first hour, then periods from 07:00', () => {
    const events = [
      requested,
      firstHourCharged,
      lateActivation({ billedUntil: T('07:00:00'), activatedAt: T('07:00:00') }),
    ];
    const owed = owedForServer(events, DAY_START, DAY_END, 3600);
    expect(owed[0]).toMatchObject({ kind: 'first_hour', periodStart: T('00:00:00'), amount: 6849n });
    expect(owed[1]).toMatchObject({
      kind: 'period',
      periodStart: T('07:00:00'),
      dueAt: T('08:00:00'),
      amount: 6849n,
    });
    expect(totalOwed(owed)).toBe(17n * 6849n); // the first hour + periods due 08:00 … 23:00
    expect(amountOwedFor(events, T('07:00:00'), T('08:00:00'), 3600)).toBe(6849n);
  });

  it('an activation recorded with billing from the first hour end (older workflows) owes nothing for the stuck hours', () => {
    const events = [requested, firstHourCharged, lateActivation({ billedUntil: T('01:00:00') })];
    expect(amountOwedFor(events, T('01:00:00'), T('02:00:00'), 3600)).toBe(0n);
    expect(amountOwedFor(events, T('06:00:00'), T('07:00:00'), 3600)).toBe(0n);
    expect(amountOwedFor(events, T('07:00:00'), T('08:00:00'), 3600)).toBe(6849n);
    const owed = owedForServer(events, DAY_START, DAY_END, 3600);
    expect(owed.map((p) => p.periodStart)[1]).toBe(T('07:00:00'));
    expect(totalOwed(owed)).toBe(17n * 6849n);
  });

  it('an activation within the first hour changes nothing', () => {
    const events = [requested, firstHourCharged, activated];
    expect(totalOwed(owedForServer(events, DAY_START, DAY_END, 3600))).toBe(23n * 6849n);
  });
});

describe('the first hour of a server that never ran', () => {
  const failed = (refunded: boolean) =>
    at(T('00:05:00'), {
      type: 'VpsProvisioningFailed',
      data: { vpsId: VPS, stage: 'charging_first_hour', reason: 'x', instanceDeleted: false, refunded },
    });

  it('is not owed when provisioning failed before the charge (funds drained, deleted while provisioning)', () => {
    expect(owedForServer([requested, failed(false)], DAY_START, DAY_END, 3600)).toEqual([]);
    expect(
      owedForServer([requested, deletionRequested('00:00:30'), failed(false)], DAY_START, DAY_END, 3600),
    ).toEqual([]);
  });

  it('is owed once charged if its compensation did not refund it, and not once staff refunded it', () => {
    const staffRefund = at(T('02:00:00'), {
      type: 'VpsFirstHourRefunded',
      data: { vpsId: VPS, chargeId: `vps-${VPS}:${T('00:00:00')}`, amount: '0.006849', reason: 'r' },
    });
    const unrefunded = [requested, firstHourCharged, failed(false)];
    expect(owedForServer(unrefunded, DAY_START, DAY_END, 3600)).toMatchObject([{ kind: 'first_hour' }]);
    expect(owedForServer([...unrefunded, staffRefund], DAY_START, DAY_END, 3600)).toEqual([]);
  });

  it('is not owed before the workflow charged it', () => {
    expect(owedForServer([requested], DAY_START, DAY_END, 3600)).toEqual([]);
  });

  it('has the charge id of the recorded charge, else of the request, whatever the activation says', () => {
    const late = at(T('07:00:00'), {
      type: 'VpsActivated',
      data: {
        vpsId: VPS,
        providerInstanceId: '1',
        ipv4: '192.0.2.1',
        billingWorkflowId: 'b',
        billedUntil: T('07:00:00'),
        activatedAt: T('07:00:00'),
      },
    });
    const [first] = owedForServer([requested, late], DAY_START, DAY_END, 3600);
    expect(first).toMatchObject({ kind: 'first_hour', chargeId: `vps-${VPS}:${T('00:00:00')}` });
  });
});

describe('the end of billing', () => {
  const deleted = (time: string, deletedAt: string) =>
    at(T(time), {
      type: 'VpsDeleted',
      data: { vpsId: VPS, finalChargeId: null, finalCharge: '0', deletedAt: T(deletedAt) },
    });

  it('a request recorded only at the deletion (staff tooling) ends billing at deletedAt, the earlier', () => {
    const events = [requested, activated, deletionRequested('01:20:00'), deleted('01:20:01', '01:15:00')];
    const [final] = owedForServer(events, T('01:00:00'), DAY_END, 3600);
    expect(final).toMatchObject({ kind: 'final', amount: 1712n, dueAt: T('01:15:00') });
    expect(amountOwedFor(events, T('01:00:00'), T('01:15:00'), 3600)).toBe(1712n);
  });

  it('a request recorded before the deletion ends billing at the request', () => {
    const events = [requested, activated, deletionRequested('01:15:00'), deleted('01:16:00', '01:15:30')];
    expect(owedForServer(events, T('01:00:00'), DAY_END, 3600)).toMatchObject([
      { kind: 'final', amount: 1712n },
    ]);
  });
});

// ---- rebuild, resize, backups (issue 15) ----
describe('price changes (a completed resize or backups toggle)', () => {
  const resized = (time: string, hourlyPrice: string): TimedVpsEvent =>
    at(T(time), {
      type: 'VpsOperationCompleted',
      data: {
        vpsId: VPS,
        operationId: `op-${time}`,
        operation: {
          kind: 'resize',
          planId: 'plan-2',
          providerPlanId: 'g6-standard-1',
          hourlyPrice,
          monthlyPrice: '10.000000',
          previousPlanId: 'plan-1',
          previousProviderPlanId: 'g6-nanode-1',
          previousHourlyPrice: '0.006849',
          previousMonthlyPrice: '5.000000',
          backupUpcharge: '0.000000',
        },
      },
    });

  it('the period in progress keeps the old price; the periods that start after the change cost the new one', () => {
    const events = [requested, firstHourCharged, activated, resized('01:30:00', '0.013699')];
    const owed = owedForServer(events, DAY_START, T('04:00:01'), 3600); // periods due (at their end) in the window
    expect(owed.map((p) => [p.periodStart, p.amount])).toEqual([
      [T('00:00:00'), 6849n], // first hour
      [T('01:00:00'), 6849n], // started before the resize
      [T('02:00:00'), 13699n],
      [T('03:00:00'), 13699n],
    ]);
    // What the billing activities charge agrees.
    expect(amountOwedFor(events, T('01:00:00'), T('02:00:00'), 3600)).toBe(6849n);
    expect(amountOwedFor(events, T('02:00:00'), T('03:00:00'), 3600)).toBe(13699n);
  });

  it('a change exactly at a boundary applies to the period starting there; a later change wins after it', () => {
    const events = [requested, activated, resized('02:00:00', '0.013699'), resized('02:10:00', '0.020000')];
    expect(amountOwedFor(events, T('02:00:00'), T('03:00:00'), 3600)).toBe(13699n);
    expect(amountOwedFor(events, T('03:00:00'), T('04:00:00'), 3600)).toBe(20000n);
    // A final period is prorated at the price it started at.
    expect(amountOwedFor(events, T('03:00:00'), T('03:30:00'), 3600)).toBe(10000n);
  });

  it('operations that change no price (rename) change nothing owed', () => {
    const renamed = at(T('01:30:00'), {
      type: 'VpsOperationCompleted',
      data: {
        vpsId: VPS,
        operationId: 'op-r',
        operation: { kind: 'rename', label: 'b', previousLabel: 'a' },
      },
    });
    expect(amountOwedFor([requested, activated, renamed], T('02:00:00'), T('03:00:00'), 3600)).toBe(6849n);
  });
});
