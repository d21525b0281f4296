import { formatMoney, MAX_MONEY_MICROS, money } from '../money/money';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  ledgerAmountOf,
  walletBalanceOf,
  walletDecider,
  walletStateFromSnapshot,
  walletStateToSnapshot,
  WALLET_SNAPSHOT_SCHEMA_VERSION,
  type WalletCommand,
  type WalletState,
} from './wallet.decider';
import type {
  WalletAdjusted,
  WalletCharged,
  WalletChargeFailed,
  WalletChargeRefunded,
  WalletCredited,
  WalletEvent,
  WalletOpened,
} from './wallet.events';

const spec = DeciderSpecification.for(walletDecider);
const WALLET = 'wallet-1';
const ORG = 'org-1';
const ids = { walletId: WALLET, organizationId: ORG };
const metadata = metadataFor('staff-1', 'admin');

// ---- commands ----
const open = (walletId = WALLET, organizationId = ORG): WalletCommand => ({
  type: 'OpenWallet',
  data: { walletId, organizationId },
  metadata,
});
const credit = (
  amount: bigint,
  extra: Partial<{ source: string; reason: string; reference: string; paymentId: string }> = {},
): WalletCommand =>
  ({
    type: 'CreditWallet',
    data: { amount, source: 'staff_credit', reason: 'Welcome credit', ...extra },
    metadata,
  }) as WalletCommand;
const charge = (
  chargeId: string,
  amount: bigint,
  extra: Partial<{ description: string; subject: unknown; rejectIfInsufficient: boolean }> = {},
): WalletCommand =>
  ({
    type: 'ChargeWallet',
    data: { chargeId, amount, description: 'VPS hour', ...extra },
    metadata,
  }) as WalletCommand;
const refund = (chargeId: string, amount: bigint, reason = 'Outage'): WalletCommand => ({
  type: 'RefundCharge',
  data: { chargeId, amount, reason },
  metadata,
});
const adjust = (
  amount: bigint,
  extra: Partial<{ reason: string; reference: string; subject: unknown }> = {},
): WalletCommand =>
  ({
    type: 'AdjustWallet',
    data: { amount, reason: 'Correction', ...extra },
    metadata,
  }) as WalletCommand;

// ---- events ----
const opened: WalletOpened = { type: 'WalletOpened', data: { ...ids, currency: 'USD' } };
const credited = (
  amount: string,
  balanceAfter: string,
  extra: Partial<WalletCredited['data']> = {},
): WalletCredited => ({
  type: 'WalletCredited',
  data: { ...ids, amount, balanceAfter, source: 'staff_credit', reason: 'Welcome credit', ...extra },
});
const charged = (
  chargeId: string,
  amount: string,
  balanceAfter: string,
  extra: Partial<WalletCharged['data']> = {},
): WalletCharged => ({
  type: 'WalletCharged',
  data: { ...ids, chargeId, amount, balanceAfter, description: 'VPS hour', ...extra },
});
const chargeFailed = (
  chargeId: string,
  amount: string,
  balance: string,
  extra: Partial<WalletChargeFailed['data']> = {},
): WalletChargeFailed => ({
  type: 'WalletChargeFailed',
  data: { ...ids, chargeId, amount, balance, reason: 'insufficient_funds', ...extra },
});
const refunded = (
  chargeId: string,
  amount: string,
  balanceAfter: string,
  reason = 'Outage',
): WalletChargeRefunded => ({
  type: 'WalletChargeRefunded',
  data: { ...ids, chargeId, amount, balanceAfter, reason },
});
const adjusted = (
  amount: string,
  balanceAfter: string,
  extra: Partial<WalletAdjusted['data']> = {},
): WalletAdjusted => ({
  type: 'WalletAdjusted',
  data: { ...ids, amount, balanceAfter, reason: 'Correction', ...extra },
});

const funded = [opened, credited('10.000000', '10.000000')];

describe('wallet decider', () => {
  describe('when there is no wallet', () => {
    it('opens one in USD', () => {
      spec.given([]).when(open()).then([opened]);
    });

    it('rejects empty ids', () => {
      spec.given([]).when(open('')).thenThrows('validation', 'invalid_wallet_id');
      spec.given([]).when(open(WALLET, '')).thenThrows('validation', 'invalid_organization_id');
    });

    it.each<[string, WalletCommand]>([
      ['CreditWallet', credit(1n)],
      ['ChargeWallet', charge('c-1', 1n)],
      ['ChargeWallet rejecting', charge('c-1', 1n, { rejectIfInsufficient: true })],
      ['RefundCharge', refund('c-1', 1n)],
      ['AdjustWallet', adjust(-1n)],
    ])('rejects %s as wallet_not_found', (_name, command) => {
      spec.given([]).when(command).thenThrows('not_found', 'wallet_not_found');
    });

    it('rejects invalid amounts as wallet_not_found first (existence before validation)', () => {
      spec.given([]).when(credit(-1n)).thenThrows('not_found', 'wallet_not_found');
    });
  });

  describe('when the wallet is open', () => {
    describe('OpenWallet', () => {
      it('records nothing when opened again with the same ids', () => {
        spec.given([opened]).when(open()).then([]);
      });

      it('rejects opening a different wallet on the stream', () => {
        spec.given([opened]).when(open('wallet-2')).thenThrows('conflict', 'wallet_already_open');
        spec.given([opened]).when(open(WALLET, 'org-2')).thenThrows('conflict', 'wallet_already_open');
      });
    });

    describe('CreditWallet', () => {
      it('credits and records the balance after', () => {
        spec
          .given([opened])
          .when(credit(10_000_000n))
          .then([credited('10.000000', '10.000000')]);
        spec
          .given(funded)
          .when(credit(1n))
          .then([credited('0.000001', '10.000001')]);
      });

      it('records a payment with its reference', () => {
        spec
          .given([opened])
          .when(credit(2_500_000n, { source: 'payment', reason: ' PayPal ', reference: 'pp-123' }))
          .then([
            credited('2.500000', '2.500000', { source: 'payment', reason: 'PayPal', reference: 'pp-123' }),
          ]);
      });

      it('records the payment a payment credit is for', () => {
        spec
          .given([opened])
          .when(credit(1_000_000n, { source: 'payment', reference: 'pp-1', paymentId: 'payment-7' }))
          .then([
            credited('1.000000', '1.000000', {
              source: 'payment',
              reference: 'pp-1',
              paymentId: 'payment-7',
            }),
          ]);
      });

      it('names a payment only on a payment credit', () => {
        spec
          .given(funded)
          .when(credit(1n, { paymentId: 'payment-7' }))
          .thenThrows('validation', 'invalid_payment_id', { field: 'paymentId' });
        spec
          .given(funded)
          .when(credit(1n, { source: 'payment', paymentId: ' ' }))
          .thenThrows('validation', 'invalid_payment_id', { field: 'paymentId' });
      });

      it('pays down a debt', () => {
        spec
          .given([opened, adjusted('-5.000000', '-5.000000')])
          .when(credit(2_000_000n))
          .then([credited('2.000000', '-3.000000')]);
      });

      it('accepts the maximum single amount', () => {
        spec
          .given([opened])
          .when(credit(MAX_MONEY_MICROS))
          .then([credited('1000000000.000000', '1000000000.000000')]);
      });

      it.each<[string, unknown]>([
        ['zero', 0n],
        ['negative', -1n],
        ['above the maximum', MAX_MONEY_MICROS + 1n],
        ['a JS number', 5],
        ['a string', '5.00'],
      ])('rejects an amount that is %s', (_label, amount) => {
        spec
          .given(funded)
          .when(credit(amount as bigint))
          .thenThrows('validation', 'invalid_amount', { field: 'amount' });
      });

      it('rejects an unknown source', () => {
        spec
          .given(funded)
          .when(credit(1n, { source: 'gift' }))
          .thenThrows('validation', 'invalid_source');
      });

      it.each([[''], ['   '], ['r'.repeat(501)]])('rejects the reason %j', (reason) => {
        spec.given(funded).when(credit(1n, { reason })).thenThrows('validation', 'invalid_reason');
      });

      it('accepts a 500-character reason', () => {
        const reason = 'r'.repeat(500);
        spec
          .given([opened])
          .when(credit(1n, { reason }))
          .then([credited('0.000001', '0.000001', { reason })]);
      });

      it.each([[''], ['  '], ['x'.repeat(201)]])('rejects the reference %j', (reference) => {
        spec.given(funded).when(credit(1n, { reference })).thenThrows('validation', 'invalid_reference');
      });
    });

    describe('ChargeWallet', () => {
      it('charges and records the balance after', () => {
        spec
          .given(funded)
          .when(charge('c-1', 1_500_000n))
          .then([charged('c-1', '1.500000', '8.500000')]);
      });

      it('charges the exact balance down to zero', () => {
        spec
          .given(funded)
          .when(charge('c-1', 10_000_000n))
          .then([charged('c-1', '10.000000', '0.000000')]);
      });

      it('keeps the subject', () => {
        const subject = {
          vpsId: 'vps-1',
          periodStart: '2026-01-01T00:00:00Z',
          periodEnd: '2026-01-01T01:00:00Z',
        };
        spec
          .given(funded)
          .when(charge('vps-1:2026-01-01T00', 1n, { subject }))
          .then([charged('vps-1:2026-01-01T00', '0.000001', '9.999999', { subject })]);
      });

      it('records a failed charge when the balance is one micro short', () => {
        spec
          .given(funded)
          .when(charge('c-1', 10_000_001n, { subject: { vpsId: 'vps-1' } }))
          .then([chargeFailed('c-1', '10.000001', '10.000000', { subject: { vpsId: 'vps-1' } })]);
      });

      it('records a failed charge on an empty wallet', () => {
        spec
          .given([opened])
          .when(charge('c-1', 1n))
          .then([chargeFailed('c-1', '0.000001', '0.000000')]);
      });

      it('records a failed charge on a wallet in debt', () => {
        spec
          .given([opened, adjusted('-1.000000', '-1.000000')])
          .when(charge('c-1', 1n))
          .then([chargeFailed('c-1', '0.000001', '-1.000000')]);
      });

      it('with rejectIfInsufficient, throws insufficient_funds instead', () => {
        spec
          .given(funded)
          .when(charge('c-1', 10_000_001n, { rejectIfInsufficient: true }))
          .thenThrows('insufficient_funds', 'insufficient_funds', {
            chargeId: 'c-1',
            amount: '10.000001',
            balance: '10.000000',
          });
      });

      it('with rejectIfInsufficient, still charges when the balance suffices', () => {
        spec
          .given(funded)
          .when(charge('c-1', 10_000_000n, { rejectIfInsufficient: true }))
          .then([charged('c-1', '10.000000', '0.000000')]);
      });

      it.each<[string, unknown]>([
        ['zero', 0n],
        ['negative', -5n],
        ['above the maximum', MAX_MONEY_MICROS + 1n],
        ['a float', 1.5],
      ])('rejects an amount that is %s', (_label, amount) => {
        spec
          .given(funded)
          .when(charge('c-1', amount as bigint))
          .thenThrows('validation', 'invalid_amount');
      });

      it('validates before checking the balance', () => {
        spec.given([opened]).when(charge('c-1', 0n)).thenThrows('validation', 'invalid_amount');
      });

      it('rejects an empty charge id', () => {
        spec.given(funded).when(charge('', 1n)).thenThrows('validation', 'invalid_charge_id');
      });

      it.each([[''], ['d'.repeat(501)]])('rejects the description %j', (description) => {
        spec
          .given(funded)
          .when(charge('c-1', 1n, { description }))
          .thenThrows('validation', 'invalid_description');
      });

      it.each<[string, unknown]>([
        ['an array', ['vps-1']],
        ['null', null],
        ['a string', 'vps-1'],
        ['non-string values', { vpsId: 1 }],
        ['too many entries', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']))],
      ])('rejects a subject that is %s', (_label, subject) => {
        spec
          .given(funded)
          .when(charge('c-1', 1n, { subject }))
          .thenThrows('validation', 'invalid_subject');
      });
    });

    describe('RefundCharge', () => {
      it('refunds and records the balance after', () => {
        spec
          .given([...funded, charged('c-1', '4.000000', '6.000000')])
          .when(refund('c-1', 4_000_000n))
          .then([refunded('c-1', '4.000000', '10.000000')]);
      });

      it('refunds part of a charge, trimming the reason', () => {
        spec
          .given([...funded, charged('c-1', '4.000000', '6.000000')])
          .when(refund('c-1', 1n, '  Partial outage '))
          .then([refunded('c-1', '0.000001', '6.000001', 'Partial outage')]);
      });

      it.each<[string, unknown]>([
        ['zero', 0n],
        ['negative', -1n],
        ['a number', 1],
      ])('rejects an amount that is %s', (_label, amount) => {
        spec
          .given(funded)
          .when(refund('c-1', amount as bigint))
          .thenThrows('validation', 'invalid_amount');
      });

      it('rejects an empty charge id', () => {
        spec.given(funded).when(refund('', 1n)).thenThrows('validation', 'invalid_charge_id');
      });

      it('rejects an empty reason', () => {
        spec
          .given(funded)
          .when(refund('c-1', 1n, ' '))
          .thenThrows('validation', 'invalid_reason');
      });
    });

    describe('AdjustWallet', () => {
      it('adjusts upwards', () => {
        spec
          .given(funded)
          .when(adjust(250_000n))
          .then([adjusted('0.250000', '10.250000')]);
      });

      it('adjusts downwards below zero, recording a debt', () => {
        spec
          .given(funded)
          .when(adjust(-12_000_000n, { reference: 'ticket-42' }))
          .then([adjusted('-12.000000', '-2.000000', { reference: 'ticket-42' })]);
      });

      it('accepts the maximum magnitude both ways', () => {
        spec
          .given([opened])
          .when(adjust(-MAX_MONEY_MICROS))
          .then([adjusted('-1000000000.000000', '-1000000000.000000')]);
      });

      it.each<[string, unknown]>([
        ['zero', 0n],
        ['above the maximum', MAX_MONEY_MICROS + 1n],
        ['below the minimum', -MAX_MONEY_MICROS - 1n],
        ['a number', -1],
      ])('rejects an amount that is %s', (_label, amount) => {
        spec
          .given(funded)
          .when(adjust(amount as bigint))
          .thenThrows('validation', 'invalid_amount');
      });

      it('rejects an empty reason', () => {
        spec
          .given(funded)
          .when(adjust(1n, { reason: '' }))
          .thenThrows('validation', 'invalid_reason');
      });

      it('rejects a blank reference', () => {
        spec
          .given(funded)
          .when(adjust(1n, { reference: ' ' }))
          .thenThrows('validation', 'invalid_reference');
      });

      it('records the subject it corrects (a charge, a reconciliation line)', () => {
        const subject = {
          chargeId: 'vps-1:2026-01-01T00:00:00.000Z',
          vpsId: '1',
          reconciliationId: 'r1',
          lineId: 'l1',
        };
        spec
          .given(funded)
          .when(adjust(1_000_000n, { subject }))
          .then([adjusted('1.000000', '11.000000', { subject })]);
      });

      it('rejects a subject that is not an object of strings', () => {
        spec
          .given(funded)
          .when(adjust(1n, { subject: { chargeId: 5 } }))
          .thenThrows('validation', 'invalid_subject');
      });
    });
  });

  describe('ReserveBurn / ReleaseBurn (the create-server guard)', () => {
    const reserve = (vpsId: string, hourlyPrice = 1_000_000n, minBalanceHours = 2): WalletCommand => ({
      type: 'ReserveBurn',
      data: { vpsId, hourlyPrice, minBalanceHours },
      metadata,
    });
    const release = (vpsId: string): WalletCommand => ({ type: 'ReleaseBurn', data: { vpsId }, metadata });
    const reserved = (vpsId: string, hourlyPrice: string, hourlyBurnAfter: string): WalletEvent => ({
      type: 'WalletBurnReserved',
      data: { ...ids, vpsId, hourlyPrice, hourlyBurnAfter },
    });
    const released = (vpsId: string, hourlyPrice: string, hourlyBurnAfter: string): WalletEvent => ({
      type: 'WalletBurnReleased',
      data: { ...ids, vpsId, hourlyPrice, hourlyBurnAfter },
    });

    it('covers the first hour plus minBalanceHours of the burn of every server, the new one included', () => {
      // 10.00 in the wallet, 1.00/h servers, 2 hours: the 1st needs 3, the 2nd 5, the 3rd 7, the 4th 9, the 5th 11.
      let history: WalletEvent[] = [...funded];
      for (const [vpsId, burn] of [
        ['v1', '1.000000'],
        ['v2', '2.000000'],
        ['v3', '3.000000'],
        ['v4', '4.000000'],
      ] as const) {
        spec
          .given(history)
          .when(reserve(vpsId))
          .then([reserved(vpsId, '1.000000', burn)]);
        history = [...history, reserved(vpsId, '1.000000', burn)];
      }
      spec.given(history).when(reserve('v5')).thenThrows('insufficient_funds', 'insufficient_funds');
      // Releasing one makes room again; reserving a server twice records nothing.
      spec
        .given(history)
        .when(release('v2'))
        .then([released('v2', '1.000000', '3.000000')]);
      spec
        .given([...history, released('v2', '1.000000', '3.000000')])
        .when(reserve('v5'))
        .then([reserved('v5', '1.000000', '4.000000')]);
      spec.given(history).when(reserve('v1')).then([]);
      spec.given(history).when(release('unknown')).then([]);
    });

    it('refuses with the amounts, and a wallet that does not exist has nothing', () => {
      const error = (() => {
        try {
          walletDecider.decide(reserve('v1', 4_000_000n, 2), stateAfter(walletDecider, funded));
        } catch (caught) {
          return caught as { details?: unknown; message: string };
        }
        throw new Error('ReserveBurn accepted a burn the balance cannot cover');
      })();
      expect(error.details).toEqual({
        required: '12.000000',
        available: '10.000000',
        hourlyPrice: '4.000000',
        hourlyBurn: '4.000000',
        minBalanceHours: 2,
      });
      expect(error.message).toMatch(/all the organization's servers/);
      spec.given([]).when(reserve('v1')).thenThrows('insufficient_funds', 'insufficient_funds');
    });

    it('reprices a server in the burn (a resize or backups toggle), and nothing else', () => {
      const reprice = (vpsId: string, hourlyPrice: bigint): WalletCommand => ({
        type: 'RepriceBurn',
        data: { vpsId, hourlyPrice },
        metadata,
      });
      const history = [
        ...funded,
        reserved('v1', '1.000000', '1.000000'),
        reserved('v2', '0.500000', '1.500000'),
      ];
      spec
        .given(history)
        .when(reprice('v1', 2_500_000n))
        .then([reserved('v1', '2.500000', '3.000000')]);
      expect(stateAfter(walletDecider, [...history, reserved('v1', '2.500000', '3.000000')])).toMatchObject({
        burn: { v1: 2_500_000n, v2: 500_000n },
      });
      // The same price, a server not in the burn (released or never reserved): nothing.
      spec.given(history).when(reprice('v1', 1_000_000n)).then([]);
      spec.given(history).when(reprice('v3', 1_000_000n)).then([]);
      spec
        .given([...history, released('v2', '0.500000', '1.000000')])
        .when(reprice('v2', 9_000_000n))
        .then([]);
      // Not a guard: an upsize the balance could not cover for a new server is still counted.
      spec
        .given(history)
        .when(reprice('v2', 50_000_000n))
        .then([reserved('v2', '50.000000', '51.000000')]);
      spec.given(history).when(reprice('v1', -1n)).thenThrows('validation', 'invalid_amount');
    });

    it('keeps the burn in snapshots', () => {
      const history = [
        ...funded,
        reserved('v1', '1.000000', '1.000000'),
        reserved('v2', '0.500000', '1.500000'),
      ];
      const state = stateAfter(walletDecider, history);
      expect(walletStateFromSnapshot(JSON.parse(JSON.stringify(walletStateToSnapshot(state))))).toEqual(
        state,
      );
      expect(state).toMatchObject({ balance: 10_000_000n, burn: { v1: 1_000_000n, v2: 500_000n } });
    });
  });

  describe('evolve', () => {
    it('folds to the balance and keeps nothing else', () => {
      const state = stateAfter(walletDecider, [
        ...funded,
        charged('c-1', '4.000000', '6.000000'),
        chargeFailed('c-2', '7.000000', '6.000000'),
        refunded('c-1', '1.000000', '7.000000'),
        adjusted('-0.500000', '6.500000'),
      ]);
      expect(state).toEqual({
        status: 'open',
        walletId: WALLET,
        organizationId: ORG,
        currency: 'USD',
        balance: 6_500_000n,
        burn: {},
        debts: [],
      });
    });
  });
});

describe('ledger helpers', () => {
  it('ledgerAmountOf gives the signed amount each event moves', () => {
    expect(ledgerAmountOf(opened)).toBe(0n);
    expect(ledgerAmountOf(credited('1.000000', '1.000000'))).toBe(1_000_000n);
    expect(ledgerAmountOf(charged('c', '0.250000', '0.750000'))).toBe(-250_000n);
    expect(ledgerAmountOf(chargeFailed('c', '5.000000', '0.750000'))).toBe(0n);
    expect(ledgerAmountOf(refunded('c', '0.250000', '1.000000'))).toBe(250_000n);
    expect(ledgerAmountOf(adjusted('-2.000000', '-1.000000'))).toBe(-2_000_000n);
    expect(ledgerAmountOf(adjusted('2.000000', '3.000000'))).toBe(2_000_000n);
  });

  it('walletBalanceOf sums them', () => {
    expect(walletBalanceOf([])).toBe(0n);
    expect(
      walletBalanceOf([
        ...funded,
        charged('c', '0.250000', '9.750000'),
        chargeFailed('d', '99.000000', '9.750000'),
      ]),
    ).toBe(9_750_000n);
  });
});

describe('wallet snapshots', () => {
  const history = [...funded, charged('c-1', '4.000000', '6.000000'), adjusted('-10.000001', '-4.000001')];

  it('round-trips open and none states through JSON', () => {
    for (const state of [stateAfter(walletDecider, history), walletDecider.initialState()]) {
      const json = JSON.stringify(walletStateToSnapshot(state));
      expect(walletStateFromSnapshot(JSON.parse(json))).toEqual(state);
      expect(walletStateFromSnapshot(json)).toEqual(state);
    }
  });

  it('is JSON-safe, versioned and small', () => {
    const snapshot = walletStateToSnapshot(stateAfter(walletDecider, history));
    expect(snapshot).toEqual({
      schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION,
      state: {
        status: 'open',
        walletId: WALLET,
        organizationId: ORG,
        currency: 'USD',
        balance: '-4.000001',
        burn: {},
        debts: [],
      },
    });
  });

  it('snapshot of a prefix + the rest of the events = the whole fold', () => {
    const cut = 2;
    const fromSnapshot = history
      .slice(cut)
      .reduce(
        walletDecider.evolve,
        walletStateFromSnapshot(walletStateToSnapshot(stateAfter(walletDecider, history.slice(0, cut)))),
      );
    expect(fromSnapshot).toEqual(stateAfter(walletDecider, history));
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['another schema version', { schemaVersion: 2, state: { status: 'none' } }],
    ['no version', { state: { status: 'none' } }],
    ['no state', { schemaVersion: 3 }],
    ['an unknown status', { schemaVersion: 3, state: { status: 'closed' } }],
    [
      'another currency',
      {
        schemaVersion: 3,
        state: { status: 'open', walletId: 'w', organizationId: 'o', currency: 'EUR', balance: '1' },
      },
    ],
    [
      'a numeric balance',
      {
        schemaVersion: 3,
        state: { status: 'open', walletId: 'w', organizationId: 'o', currency: 'USD', balance: 1 },
      },
    ],
    [
      'a malformed balance',
      {
        schemaVersion: 3,
        state: { status: 'open', walletId: 'w', organizationId: 'o', currency: 'USD', balance: '1e3' },
      },
    ],
    [
      'no burn (a version 1 shape)',
      {
        schemaVersion: 3,
        state: { status: 'open', walletId: 'w', organizationId: 'o', currency: 'USD', balance: '1' },
      },
    ],
    [
      'no debts (a version 2 shape)',
      {
        schemaVersion: 3,
        state: {
          status: 'open',
          walletId: 'w',
          organizationId: 'o',
          currency: 'USD',
          balance: '1',
          burn: {},
        },
      },
    ],
    [
      'a malformed debt',
      {
        schemaVersion: 3,
        state: {
          status: 'open',
          walletId: 'w',
          organizationId: 'o',
          currency: 'USD',
          balance: '1',
          burn: {},
          debts: [{ chargeId: 'c', amount: 1 }],
        },
      },
    ],
    [
      'a missing wallet id',
      { schemaVersion: 3, state: { status: 'open', organizationId: 'o', currency: 'USD', balance: '1' } },
    ],
  ])('refuses %s', (_label, json) => {
    expect(() => walletStateFromSnapshot(json)).toThrow(/snapshot|money/i);
  });
});

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ledger invariant over random histories', () => {
  it.each([1, 2, 3, 42, 1337, 20260101])('seed %i: balance == sum of events == last balanceAfter', (seed) => {
    const random = prng(seed);
    const amount = (): bigint => BigInt(1 + Math.floor(random() * 50_000_000)); // up to 50 USD, micro precision
    let state: WalletState = walletDecider.initialState();
    const events: WalletEvent[] = [];
    const apply = (command: WalletCommand) => {
      const decided = walletDecider.decide(command, state);
      for (const event of decided) {
        state = walletDecider.evolve(state, event);
        events.push(event);
      }
      return decided;
    };
    apply(open());
    let lastBalanceAfter = 0n;
    const counts = {
      WalletCredited: 0,
      WalletCharged: 0,
      WalletChargeFailed: 0,
      WalletChargeRefunded: 0,
      WalletAdjusted: 0,
    };

    for (let step = 0; step < 400; step++) {
      const pick = random();
      const before = state.status === 'open' ? state.balance : 0n;
      const decided =
        pick < 0.3
          ? apply(credit(amount()))
          : pick < 0.75
            ? apply(charge(`c-${step}`, amount()))
            : pick < 0.9
              ? apply(refund(`c-${step - 1}`, amount() / 4n + 1n))
              : apply(adjust(random() < 0.5 ? -amount() : amount()));
      expect(decided).toHaveLength(1);
      const [event] = decided;
      if (
        event.type === 'WalletOpened' ||
        event.type === 'WalletBurnReserved' ||
        event.type === 'WalletBurnReleased' ||
        event.type === 'WalletDebtRecorded'
      )
        throw new Error(`unexpected ${event.type}`);
      counts[event.type]++;
      if (state.status !== 'open') throw new Error('wallet closed');

      if (event.type === 'WalletChargeFailed') {
        expect(money(event.data.balance)).toBe(before);
        expect(state.balance).toBe(before);
        expect(before < money(event.data.amount)).toBe(true);
      } else {
        expect(money(event.data.balanceAfter)).toBe(state.balance);
        expect(state.balance - before).toBe(ledgerAmountOf(event));
        lastBalanceAfter = money(event.data.balanceAfter);
      }
      if (event.type === 'WalletCharged') expect(state.balance >= 0n).toBe(true); // charges never create debt
      expect(state.balance).toBe(walletBalanceOf(events));
      expect(state.balance).toBe(lastBalanceAfter);
      // Every amount in an event is canonical: 6 decimals, round-trips.
      expect(formatMoney(money(event.data.amount))).toBe(event.data.amount);
    }

    // The random walk actually exercised every kind of event.
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(0);
    // And a snapshot taken anywhere folds to the same place.
    const snapshotAt = Math.floor(events.length / 2);
    const resumed = events
      .slice(snapshotAt)
      .reduce(
        walletDecider.evolve,
        walletStateFromSnapshot(
          walletStateToSnapshot(stateAfter(walletDecider, events.slice(0, snapshotAt))),
        ),
      );
    expect(resumed).toEqual(state);
  });
});
