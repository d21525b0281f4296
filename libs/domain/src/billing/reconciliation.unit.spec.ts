import {
  DISCREPANCY_KINDS,
  reconcileBilling,
  reconciliationLineId,
  type LedgerEvent,
  type ReconciliationReport,
} from './reconciliation';

const ORG = 'org-1';
const VPS = 'v1';
const PRICE = '1.000000';
const T = (time: string) => `2026-01-01T${time}.000Z`;
const chargeId = (start: string) => `vps-${VPS}:${start}`;
const WINDOW = { from: T('00:00:00'), to: T('06:00:00'), periodSeconds: 3600 };

let seq = 0;
const ev = (streamId: string, type: string, data: object, occurredAt: string, id?: string): LedgerEvent => ({
  id: id ?? `e${(seq += 1)}`,
  streamId,
  type,
  data,
  occurredAt,
});
const vps = (type: string, data: object, at: string) => ev(`vps-${VPS}`, type, { vpsId: VPS, ...data }, at);
const wallet = (type: string, data: object, at: string, id?: string) =>
  ev(`wallet-${ORG}`, type, { walletId: 'w1', organizationId: ORG, ...data }, at, id);

const requested = vps('VpsRequested', { organizationId: ORG, hourlyPrice: PRICE }, T('00:00:00'));
const activated = vps('VpsActivated', { billedUntil: T('01:00:00') }, T('00:01:00'));
const charged = (start: string, amount = PRICE, id?: string, extra: object = {}) =>
  wallet(
    'WalletCharged',
    {
      chargeId: chargeId(start),
      amount,
      balanceAfter: '0',
      description: 'x',
      subject: { vpsId: VPS, periodStart: start, ...extra },
    },
    start,
    id,
  );
const failed = (start: string) =>
  wallet('WalletChargeFailed', { chargeId: chargeId(start), amount: PRICE, balance: '0' }, start);
const refunded = (start: string, amount = PRICE) =>
  wallet(
    'WalletChargeRefunded',
    { chargeId: chargeId(start), amount, balanceAfter: '0', reason: 'r' },
    start,
  );
const adjusted = (start: string, amount: string) =>
  wallet(
    'WalletAdjusted',
    { amount, balanceAfter: '0', reason: 'fix', subject: { chargeId: chargeId(start), vpsId: VPS } },
    T('23:00:00'),
  );

/** The history the billing workflow writes for [00:00, 06:00): first hour, then periods 01–05 charged at their ends. */
const cleanHistory = (): LedgerEvent[] => [
  requested,
  charged(T('00:00:00')),
  activated,
  ...['01', '02', '03', '04'].map((h) => charged(T(`${h}:00:00`))),
];

const given = (events: LedgerEvent[]) => ({
  whenReconciled: (options: Partial<typeof WINDOW> & { organizationId?: string } = {}) =>
    reconcileBilling({ ...WINDOW, ...options }, events),
});
const kinds = (report: ReconciliationReport) => report.lines.map((l) => [l.kind, l.chargeId]);

describe('billing reconciliation', () => {
  describe('a clean history', () => {
    it('then reports no lines and equal totals', () => {
      const report = given(cleanHistory()).whenReconciled();
      expect(report.lines).toEqual([]);
      expect(report.summary).toEqual({
        servers: 1,
        payments: 0,
        lines: 0,
        discrepancies: Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])),
        unpaid: 0,
        expectedTotal: '5.000000',
        chargedTotal: '5.000000',
      });
    });

    it('then events of other streams, credits and unrelated adjustments change nothing', () => {
      const report = given([
        ev('user-1', 'UserRegistered', {}, T('00:00:00')),
        wallet(
          'WalletCredited',
          { amount: '9', balanceAfter: '9', source: 'staff_credit', reason: 'x' },
          T('00:00:00'),
        ),
        wallet('WalletAdjusted', { amount: '-1', balanceAfter: '8', reason: 'x' }, T('00:00:00')),
        ...cleanHistory(),
      ]).whenReconciled();
      expect(report.lines).toEqual([]);
    });

    it('then a first hour the workflow started a moment after the request is matched by its recorded start', () => {
      const start = '2026-01-01T00:00:00.250Z';
      const report = given([
        requested,
        charged(start),
        vps('VpsFirstHourCharged', { chargeId: chargeId(start), amount: PRICE, periodStart: start }, start),
        vps('VpsActivated', { billedUntil: '2026-01-01T01:00:00.250Z' }, T('00:01:00')),
      ]).whenReconciled({ to: T('01:00:00') });
      expect(report.lines).toEqual([]);
      expect(report.summary.chargedTotal).toBe('1.000000');
    });

    it('then a window only counts periods due inside it', () => {
      const report = given(cleanHistory()).whenReconciled({ from: T('02:00:00'), to: T('04:00:00') });
      expect(report.summary.expectedTotal).toBe('2.000000');
      expect(report.summary.chargedTotal).toBe('2.000000');
    });
  });

  describe('charges that should not be', () => {
    it('when a period is charged twice (two event ids) then duplicate_charge with both ids', () => {
      const report = given([...cleanHistory(), charged(T('02:00:00'), PRICE, 'dup')]).whenReconciled();
      expect(kinds(report)).toEqual([['duplicate_charge', chargeId(T('02:00:00'))]]);
      const [line] = report.lines;
      expect(line).toMatchObject({
        organizationId: ORG,
        vpsId: VPS,
        periodStart: T('02:00:00'),
        periodEnd: T('03:00:00'),
        expected: '1.000000',
        charged: '2.000000',
        difference: '-1.000000',
        lineId: reconciliationLineId(chargeId(T('02:00:00')), 'duplicate_charge'),
      });
      expect(line.eventIds).toHaveLength(2);
      expect(line.eventIds).toContain('dup');
      expect(report.summary.discrepancies.duplicate_charge).toBe(1);
    });

    it('when a period is charged the wrong amount then wrong_amount', () => {
      const history = cleanHistory().filter(
        (e) => (e.data as { chargeId?: string }).chargeId !== chargeId(T('03:00:00')),
      );
      const report = given([...history, charged(T('03:00:00'), '0.500000')]).whenReconciled();
      expect(kinds(report)).toEqual([['wrong_amount', chargeId(T('03:00:00'))]]);
      expect(report.lines[0].difference).toBe('0.500000');
    });

    it('when a period is charged in full while suspended then charge_while_suspended', () => {
      const report = given([
        ...cleanHistory().slice(0, 5), // first hour, periods 01 and 02
        vps('VpsSuspended', { reason: 'insufficient_funds', debt: '1' }, T('03:00:00')),
        charged(T('03:00:00')), // [03, 04) entirely suspended: owes nothing
        charged(T('04:00:00')),
      ]).whenReconciled();
      expect(kinds(report)).toEqual([
        ['charge_while_suspended', chargeId(T('03:00:00'))],
        ['charge_while_suspended', chargeId(T('04:00:00'))],
      ]);
      expect(report.lines[0]).toMatchObject({ expected: '0.000000', charged: '1.000000' });
    });

    it('when a partly suspended period is charged in full then charge_while_suspended for the difference', () => {
      const report = given([
        ...cleanHistory(),
        vps('VpsSuspended', { reason: 'insufficient_funds', debt: '1' }, T('04:30:00')),
        vps('VpsResumed', {}, T('05:00:00')),
        charged(T('05:00:00')), // [05, 06) falls due at 06:00, outside the window
      ]).whenReconciled();
      expect(kinds(report)).toEqual([['charge_while_suspended', chargeId(T('04:00:00'))]]);
      expect(report.lines[0]).toMatchObject({
        expected: '0.500000',
        charged: '1.000000',
        difference: '-0.500000',
      });
    });

    it('when a period after the deletion is charged then charge_after_deletion', () => {
      const report = given([
        ...cleanHistory().slice(0, 5), // through period 02
        vps('VpsDeletionRequested', {}, T('03:30:00')),
        charged(T('03:00:00'), '0.500000', undefined, { final: 'true', periodEnd: T('03:30:00') }),
        charged(T('04:00:00')),
      ]).whenReconciled();
      expect(kinds(report)).toEqual([['charge_after_deletion', chargeId(T('04:00:00'))]]);
      expect(report.lines[0]).toMatchObject({ expected: '0.000000', difference: '-1.000000' });
    });

    it('when the final period is charged in full instead of prorated then wrong_amount', () => {
      const report = given([
        ...cleanHistory().slice(0, 5),
        vps('VpsDeletionRequested', {}, T('03:15:00')),
        charged(T('03:00:00')),
      ]).whenReconciled();
      expect(kinds(report)).toEqual([['wrong_amount', chargeId(T('03:00:00'))]]);
      expect(report.lines[0]).toMatchObject({ expected: '0.250000', charged: '1.000000' });
    });
  });

  describe('charges that are missing', () => {
    it('when a due period has no charge then missing_charge', () => {
      const history = cleanHistory().filter(
        (e) => (e.data as { chargeId?: string }).chargeId !== chargeId(T('02:00:00')),
      );
      const report = given(history).whenReconciled();
      expect(kinds(report)).toEqual([['missing_charge', chargeId(T('02:00:00'))]]);
      expect(report.lines[0]).toMatchObject({
        expected: '1.000000',
        charged: '0.000000',
        difference: '1.000000',
        eventIds: [],
      });
    });

    it('when a period only failed for lack of funds then unpaid, not a discrepancy', () => {
      const history = cleanHistory().filter(
        (e) => (e.data as { chargeId?: string }).chargeId !== chargeId(T('04:00:00')),
      );
      const report = given([...history, failed(T('04:00:00'))]).whenReconciled();
      expect(kinds(report)).toEqual([['unpaid', chargeId(T('04:00:00'))]]);
      expect(report.summary.unpaid).toBe(1);
      expect(Object.values(report.summary.discrepancies).every((n) => n === 0)).toBe(true);
    });

    it('when a failed period was paid later then it is clean', () => {
      const report = given([...cleanHistory(), failed(T('04:00:00'))]).whenReconciled();
      expect(report.lines).toEqual([]);
    });
  });

  describe('debts left at the deletion', () => {
    /** Deleted at 04:30 with periods 03 and the final [04:00, 04:30) unpaid: both kept as the wallet's debt. */
    const deletedInDebt = (): LedgerEvent[] => [
      ...cleanHistory().filter((e) => {
        const id = (e.data as { chargeId?: string }).chargeId;
        return id !== chargeId(T('03:00:00')) && id !== chargeId(T('04:00:00'));
      }),
      failed(T('03:00:00')),
      vps('VpsDeletionRequested', {}, T('04:30:00')),
      wallet(
        'WalletChargeFailed',
        { chargeId: chargeId(T('04:00:00')), amount: '0.5', balance: '0' },
        T('04:30:00'),
      ),
      wallet(
        'WalletDebtRecorded',
        { chargeId: chargeId(T('03:00:00')), amount: PRICE, balance: '0' },
        T('04:30:00'),
      ),
      wallet(
        'WalletDebtRecorded',
        { chargeId: chargeId(T('04:00:00')), amount: '0.500000', balance: '0' },
        T('04:30:00'),
      ),
    ];
    const collection = (start: string, amount: string, extra: object = {}) =>
      charged(start, amount, undefined, { debtCollected: 'true', ...extra });

    it('when an unpaid period and a failed final charge are recorded as debt then debt lines, not discrepancies', () => {
      const report = given(deletedInDebt()).whenReconciled();
      expect(kinds(report)).toEqual([
        ['debt', chargeId(T('03:00:00'))],
        ['debt', chargeId(T('04:00:00'))],
      ]);
      expect(report.lines.map((l) => l.difference)).toEqual(['1.000000', '0.500000']);
      expect(report.summary.unpaid).toBe(2);
      expect(Object.values(report.summary.discrepancies).every((n) => n === 0)).toBe(true);
    });

    it('when a debt was recorded without a failed attempt then still debt, never missing_charge', () => {
      const history = deletedInDebt().filter((e) => e.type !== 'WalletChargeFailed');
      expect(kinds(given(history).whenReconciled())).toEqual([
        ['debt', chargeId(T('03:00:00'))],
        ['debt', chargeId(T('04:00:00'))],
      ]);
    });

    it('when a credit collected the debts under their charge ids then it is clean', () => {
      const report = given([
        ...deletedInDebt(),
        collection(T('03:00:00'), PRICE),
        collection(T('04:00:00'), '0.500000', { final: 'true', periodEnd: T('04:30:00') }),
      ]).whenReconciled();
      expect(report.lines).toEqual([]);
      expect(report.summary.chargedTotal).toBe(report.summary.expectedTotal);
    });

    it('when only the oldest was collected then the younger stays a debt line', () => {
      const report = given([...deletedInDebt(), collection(T('03:00:00'), PRICE)]).whenReconciled();
      expect(kinds(report)).toEqual([['debt', chargeId(T('04:00:00'))]]);
    });
  });

  describe('refunds', () => {
    const failedProvisioning = (refundedFlag: boolean) =>
      vps(
        'VpsProvisioningFailed',
        { stage: 'x', reason: 'y', instanceDeleted: true, refunded: refundedFlag },
        T('00:05:00'),
      );

    it('when provisioning failed and the first hour was refunded then clean', () => {
      const report = given([
        requested,
        charged(T('00:00:00')),
        refunded(T('00:00:00')),
        failedProvisioning(true),
      ]).whenReconciled();
      expect(report.lines).toEqual([]);
    });

    it('when provisioning failed with refunded=true but no refund was made then refund_mismatch', () => {
      const report = given([requested, charged(T('00:00:00')), failedProvisioning(true)]).whenReconciled();
      expect(kinds(report)).toEqual([['refund_mismatch', chargeId(T('00:00:00'))]]);
      expect(report.lines[0]).toMatchObject({ expected: '0.000000', charged: '1.000000' });
    });

    it('when the refund differs from the charge then refund_mismatch', () => {
      const report = given([
        requested,
        charged(T('00:00:00')),
        refunded(T('00:00:00'), '0.400000'),
        failedProvisioning(true),
      ]).whenReconciled();
      expect(kinds(report)).toEqual([['refund_mismatch', chargeId(T('00:00:00'))]]);
      expect(report.lines[0].charged).toBe('0.600000');
    });

    it('when a charge owed is refunded without reason then refund_mismatch', () => {
      const report = given([...cleanHistory(), refunded(T('01:00:00'))]).whenReconciled();
      expect(kinds(report)).toEqual([['refund_mismatch', chargeId(T('01:00:00'))]]);
      expect(report.lines[0].difference).toBe('1.000000');
    });
  });

  describe('staff adjustments referencing a charge', () => {
    it('when a double charge is adjusted back then it is clean', () => {
      const report = given([
        ...cleanHistory(),
        charged(T('02:00:00'), PRICE, 'dup'),
        adjusted(T('02:00:00'), '1.000000'),
      ]).whenReconciled();
      expect(report.lines).toEqual([]);
    });

    it('when a missing charge is debited by an adjustment then it is clean', () => {
      const history = cleanHistory().filter(
        (e) => (e.data as { chargeId?: string }).chargeId !== chargeId(T('02:00:00')),
      );
      const report = given([...history, adjusted(T('02:00:00'), '-1.000000')]).whenReconciled();
      expect(report.lines).toEqual([]);
    });

    it('when an adjustment is the wrong size then the line stays (difference shrinks)', () => {
      const report = given([
        ...cleanHistory(),
        charged(T('02:00:00'), PRICE, 'dup'),
        adjusted(T('02:00:00'), '0.400000'),
      ]).whenReconciled();
      expect(kinds(report)).toEqual([['duplicate_charge', chargeId(T('02:00:00'))]]);
      expect(report.lines[0].difference).toBe('-0.600000');
    });
  });

  describe('charges nobody owed', () => {
    it('when a refund names a charge that was never made then refund_mismatch', () => {
      const history = cleanHistory().filter(
        (e) => (e.data as { chargeId?: string }).chargeId !== chargeId(T('02:00:00')),
      );
      const report = given([...history, refunded(T('02:00:00'))]).whenReconciled();
      expect(kinds(report)).toEqual([['refund_mismatch', chargeId(T('02:00:00'))]]);
      expect(report.lines[0]).toMatchObject({ expected: '1.000000', charged: '-1.000000' });
    });

    it('when a server without any recorded event is charged then wrong_amount against 0', () => {
      const orphan = ev(
        `wallet-${ORG}`,
        'WalletCharged',
        { organizationId: ORG, chargeId: `vps-ghost:${T('02:00:00')}`, amount: PRICE },
        T('03:00:00'),
      );
      const report = given([...cleanHistory(), orphan]).whenReconciled();
      expect(report.lines).toMatchObject([
        {
          kind: 'wrong_amount',
          vpsId: 'ghost',
          organizationId: ORG,
          expected: '0.000000',
          charged: '1.000000',
        },
      ]);
    });

    it('a charge id spelled otherwise than the workflow spells it does not pay the period', () => {
      const history = cleanHistory().filter(
        (e) => (e.data as { chargeId?: string }).chargeId !== chargeId(T('02:00:00')),
      );
      const odd = wallet(
        'WalletCharged',
        { chargeId: `vps-${VPS}:2026-01-01T02:00:00Z`, amount: PRICE, balanceAfter: '0', description: 'x' },
        T('03:00:00'),
      );
      expect(kinds(given([...history, odd]).whenReconciled())).toEqual([
        ['missing_charge', chargeId(T('02:00:00'))],
        ['wrong_amount', `vps-${VPS}:2026-01-01T02:00:00Z`],
      ]);
    });
  });

  describe('scope', () => {
    it('organizationId keeps only that organization', () => {
      expect(
        given([...cleanHistory(), charged(T('02:00:00'), PRICE, 'dup')]).whenReconciled({
          organizationId: 'other',
        }).lines,
      ).toEqual([]);
      expect(
        given([...cleanHistory(), charged(T('02:00:00'), PRICE, 'dup')]).whenReconciled({
          organizationId: ORG,
        }).lines,
      ).toHaveLength(1);
    });

    it('line ids are deterministic: the same history gives the same report', () => {
      const history = [...cleanHistory(), charged(T('02:00:00'), PRICE, 'dup')];
      expect(given(history).whenReconciled()).toEqual(given(history).whenReconciled());
    });

    it('bad windows are refused', () => {
      expect(() => given([]).whenReconciled({ from: 'nope' })).toThrow();
      expect(() => given([]).whenReconciled({ periodSeconds: 0 })).toThrow(RangeError);
    });
  });
});
