import { money } from '../money/money';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  DEBT_COLLECTED_SUBJECT_KEY,
  outstandingDebtOf,
  walletBalanceOf,
  walletDecider,
  type WalletCommand,
  type WalletState,
} from './wallet.decider';
import type {
  WalletCharged,
  WalletCredited,
  WalletDebtRecorded,
  WalletEvent,
  WalletOpened,
} from './wallet.events';

/** The wallet's outstanding debt: recorded at a server's deletion, collected by the next credit. */
const spec = DeciderSpecification.for(walletDecider);
const WALLET = 'wallet-1';
const ORG = 'org-1';
const ids = { walletId: WALLET, organizationId: ORG };
const metadata = metadataFor('staff-1', 'admin');

const open = (): WalletCommand => ({ type: 'OpenWallet', data: { ...ids }, metadata });
const credit = (amount: bigint): WalletCommand => ({
  type: 'CreditWallet',
  data: { amount, source: 'staff_credit', reason: 'Welcome credit' },
  metadata,
});
const charge = (chargeId: string, amount: bigint): WalletCommand => ({
  type: 'ChargeWallet',
  data: { chargeId, amount, description: 'VPS hour' },
  metadata,
});
const recordDebt = (
  chargeId: string,
  amount: bigint,
  extra: Partial<{ description: string; subject: Record<string, string> }> = {},
): WalletCommand => ({
  type: 'RecordDebt',
  data: { chargeId, amount, description: 'VPS hour', ...extra },
  metadata,
});

const opened: WalletOpened = { type: 'WalletOpened', data: { ...ids, currency: 'USD' } };
const credited = (amount: string, balanceAfter: string): WalletCredited => ({
  type: 'WalletCredited',
  data: { ...ids, amount, balanceAfter, source: 'staff_credit', reason: 'Welcome credit' },
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
const debtRecorded = (
  chargeId: string,
  amount: string,
  balance: string,
  extra: Partial<WalletDebtRecorded['data']> = {},
): WalletDebtRecorded => ({
  type: 'WalletDebtRecorded',
  data: { ...ids, chargeId, amount, balance, description: 'VPS hour', ...extra },
});
/** The charge a credit makes to collect a debt: the debt's charge id, marked in the subject. */
const collected = (
  chargeId: string,
  amount: string,
  balanceAfter: string,
  subject: Record<string, string> = {},
): WalletCharged =>
  charged(chargeId, amount, balanceAfter, {
    description: 'Debt collected: VPS hour',
    subject: { ...subject, [DEBT_COLLECTED_SUBJECT_KEY]: 'true' },
  });

const funded = [opened, credited('10.000000', '10.000000')];

describe('wallet decider: outstanding debt', () => {
  it('RecordDebt on no wallet is wallet_not_found', () => {
    spec.given([]).when(recordDebt('c-1', 1n)).thenThrows('not_found', 'wallet_not_found');
  });

  describe('when the wallet is open without debts', () => {
    describe('RecordDebt', () => {
      const subject = { vpsId: 'vps-1', periodStart: '2026-01-01T00:00:00.000Z' };

      it('records what the balance cannot pay as outstanding debt, moving no money', () => {
        spec
          .given([opened, credited('0.400000', '0.400000')])
          .when(recordDebt('c-1', 1_000_000n, { subject }))
          .then([debtRecorded('c-1', '1.000000', '0.400000', { subject })]);
      });

      it('charges it instead when the balance can pay it (credited since the charge failed)', () => {
        spec
          .given(funded)
          .when(recordDebt('c-1', 1_000_000n, { subject }))
          .then([charged('c-1', '1.000000', '9.000000', { subject })]);
      });

      it('rejects an invalid amount, charge id or description', () => {
        spec.given([opened]).when(recordDebt('c-1', 0n)).thenThrows('validation', 'invalid_amount');
        spec.given([opened]).when(recordDebt('', 1n)).thenThrows('validation', 'invalid_charge_id');
        spec
          .given([opened])
          .when(recordDebt('c-1', 1n, { description: ' ' }))
          .thenThrows('validation', 'invalid_description');
      });
    });

    it('a credit collects nothing', () => {
      spec
        .given([opened])
        .when(credit(1_000_000n))
        .then([credited('1.000000', '1.000000')]);
    });
  });

  describe('when the wallet has outstanding debts', () => {
    const inDebt = [
      opened,
      debtRecorded('c-1', '1.000000', '0.000000', { subject: { vpsId: 'vps-1' } }),
      debtRecorded('c-2', '2.000000', '0.000000'),
      debtRecorded('c-3', '0.500000', '0.000000'),
    ];

    it('knows the outstanding debt, oldest first, beside a balance of zero', () => {
      const state = stateAfter(walletDecider, inDebt);
      expect(outstandingDebtOf(state)).toBe(3_500_000n);
      expect(state.status === 'open' && state.debts.map((d) => d.chargeId)).toEqual(['c-1', 'c-2', 'c-3']);
      expect(walletBalanceOf(inDebt)).toBe(0n);
    });

    describe('CreditWallet', () => {
      it('collects every debt the credit covers, oldest first, each under its charge id', () => {
        spec
          .given(inDebt)
          .when(credit(5_000_000n))
          .then([
            credited('5.000000', '5.000000'),
            collected('c-1', '1.000000', '4.000000', { vpsId: 'vps-1' }),
            collected('c-2', '2.000000', '2.000000'),
            collected('c-3', '0.500000', '1.500000'),
          ]);
      });

      it('stops at the first debt it cannot pay (a younger one never jumps the queue)', () => {
        spec
          .given(inDebt)
          .when(credit(2_500_000n))
          .then([
            credited('2.500000', '2.500000'),
            collected('c-1', '1.000000', '1.500000', { vpsId: 'vps-1' }),
          ]);
      });

      it('collects nothing when it cannot pay the oldest', () => {
        spec
          .given(inDebt)
          .when(credit(900_000n))
          .then([credited('0.900000', '0.900000')]);
      });

      it('collected debts are gone: the next credit collects only what is left', () => {
        const afterFirst = [
          ...inDebt,
          credited('1.000000', '1.000000'),
          collected('c-1', '1.000000', '0.000000', { vpsId: 'vps-1' }),
        ];
        expect(outstandingDebtOf(stateAfter(walletDecider, afterFirst))).toBe(2_500_000n);
        spec
          .given(afterFirst)
          .when(credit(2_000_000n))
          .then([credited('2.000000', '2.000000'), collected('c-2', '2.000000', '0.000000')]);
      });
    });

    describe('RecordDebt', () => {
      it('records nothing for a debt already outstanding', () => {
        spec.given(inDebt).when(recordDebt('c-2', 2_000_000n)).then([]);
      });

      it('records a new one behind the others', () => {
        spec
          .given(inDebt)
          .when(recordDebt('c-4', 1n))
          .then([debtRecorded('c-4', '0.000001', '0.000000')]);
      });
    });

    describe('ChargeWallet', () => {
      it('a charge under a debt charge id (e.g. a late retry) pays that debt: it is never collected twice', () => {
        const paid = [...inDebt, credited('1.000000', '1.000000'), charged('c-3', '0.500000', '0.500000')];
        expect(outstandingDebtOf(stateAfter(walletDecider, paid))).toBe(3_000_000n);
        spec
          .given(paid)
          .when(credit(10_000_000n))
          .then([
            credited('10.000000', '10.500000'),
            collected('c-1', '1.000000', '9.500000', { vpsId: 'vps-1' }),
            collected('c-2', '2.000000', '7.500000'),
          ]);
      });
    });
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

describe('debts over random histories', () => {
  it.each([1, 7, 99, 2026])(
    'seed %i: the balance never goes below zero, each debt is charged once, outstanding = recorded − collected',
    (seed) => {
      const random = prng(seed);
      const amount = (): bigint => BigInt(1 + Math.floor(random() * 5_000_000));
      let state: WalletState = walletDecider.initialState();
      const events: WalletEvent[] = [];
      const apply = (command: WalletCommand) => {
        for (const event of walletDecider.decide(command, state)) {
          state = walletDecider.evolve(state, event);
          events.push(event);
        }
      };
      apply(open());
      const recorded = new Map<string, bigint>();
      for (let step = 0; step < 300; step++) {
        const pick = random();
        if (pick < 0.35) apply(credit(amount()));
        else if (pick < 0.7) apply(charge(`c-${step}`, amount()));
        else apply(recordDebt(`d-${step}`, amount()));
        const last = events.at(-1);
        if (last?.type === 'WalletDebtRecorded') recorded.set(last.data.chargeId, money(last.data.amount));
        expect(state.status === 'open' && state.balance >= 0n).toBe(true);
        expect(state.status === 'open' && state.balance).toBe(walletBalanceOf(events));
      }
      const chargedIds = events.flatMap((e) => (e.type === 'WalletCharged' ? [e.data.chargeId] : []));
      expect(new Set(chargedIds).size).toBe(chargedIds.length);
      const collectedTotal = events
        .filter((e): e is WalletCharged => e.type === 'WalletCharged' && recorded.has(e.data.chargeId))
        .reduce((sum, e) => sum + money(e.data.amount), 0n);
      const recordedTotal = [...recorded.values()].reduce((sum, a) => sum + a, 0n);
      expect(collectedTotal).toBeGreaterThan(0n);
      expect(outstandingDebtOf(state)).toBe(recordedTotal - collectedTotal);
    },
  );
});
