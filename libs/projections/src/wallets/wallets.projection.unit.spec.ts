import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { walletsProjection } from './wallets.projection';

const base = { walletId: 'w1', organizationId: 'o1' };

describe('wallets projection', () => {
  it('opens at zero and follows every money event to the ledger balance', () => {
    const rows = foldProjection(walletsProjection, [
      recorded('WalletOpened', { ...base, currency: 'USD' }, { occurredAt: '2026-01-01T00:00:00.000Z' }),
      recorded('WalletCredited', {
        ...base,
        amount: '10.5',
        balanceAfter: '10.5',
        source: 'staff_credit',
        reason: 'welcome',
      }),
      recorded('WalletCharged', {
        ...base,
        chargeId: 'c1',
        amount: '0.000001',
        balanceAfter: '10.499999',
        description: 'vps',
      }),
      recorded('WalletChargeFailed', {
        ...base,
        chargeId: 'c2',
        amount: '99',
        balance: '10.499999',
        reason: 'insufficient_funds',
      }),
      recorded('WalletChargeRefunded', {
        ...base,
        chargeId: 'c1',
        amount: '0.000001',
        balanceAfter: '10.5',
        reason: 'oops',
      }),
      recorded(
        'WalletAdjusted',
        { ...base, amount: '-0.5', balanceAfter: '10', reason: 'correction' },
        { occurredAt: '2026-01-09T00:00:00.000Z' },
      ),
    ]);
    expect(rows.get('o1')).toEqual({
      organizationId: 'o1',
      currency: 'USD',
      balance: 10_000_000n,
      updatedAt: new Date('2026-01-09T00:00:00.000Z'),
      transactionCount: 5,
      outstandingDebt: 0n,
    });
  });

  it('adds a recorded debt to the outstanding debt (not to the balance) and takes its collection off it', () => {
    const debt = (chargeId: string, amount: string) =>
      recorded('WalletDebtRecorded', { ...base, chargeId, amount, balance: '0', description: 'vps' });
    const rows = foldProjection(walletsProjection, [
      recorded('WalletOpened', { ...base, currency: 'USD' }),
      debt('c1', '1'),
      debt('c2', '2.5'),
      recorded('WalletCredited', {
        ...base,
        amount: '2',
        balanceAfter: '2',
        source: 'payment',
        reason: 'top-up',
      }),
      recorded('WalletCharged', {
        ...base,
        chargeId: 'c1',
        amount: '1',
        balanceAfter: '1',
        description: 'Debt collected: vps',
        subject: { debtCollected: 'true' },
      }),
      recorded('WalletCharged', {
        ...base,
        chargeId: 'c3',
        amount: '0.5',
        balanceAfter: '0.5',
        description: 'vps',
      }),
    ]);
    expect(rows.get('o1')).toMatchObject({
      balance: 500_000n,
      outstandingDebt: 2_500_000n,
      transactionCount: 5,
    });
  });

  it('creates the wallet from a money event even without WalletOpened', () => {
    const rows = foldProjection(walletsProjection, [
      recorded('WalletCredited', {
        ...base,
        amount: '1',
        balanceAfter: '1',
        source: 'payment',
        reason: 'top-up',
      }),
    ]);
    expect(rows.get('o1')).toMatchObject({ balance: 1_000_000n, transactionCount: 1, currency: 'USD' });
  });
});
