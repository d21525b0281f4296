import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { walletTransactionsProjection } from './wallet-transactions.projection';

const base = { walletId: 'w1', organizationId: 'o1' };
const at = '2026-02-03T04:05:06.000Z';

describe('wallet-transactions projection', () => {
  it('records a credit as a positive amount with its reference, actor, time and position', () => {
    const event = recorded(
      'WalletCredited',
      {
        ...base,
        amount: '12.345678',
        balanceAfter: '12.345678',
        source: 'staff_credit',
        reason: 'goodwill',
        reference: 'req-1',
      },
      { occurredAt: at, actorUserId: 'staff-1', position: { commit: 77n, prepare: 3n } },
    );
    expect(foldProjection(walletTransactionsProjection, [event]).get(event.id)).toEqual({
      id: event.id,
      organizationId: 'o1',
      type: 'WalletCredited',
      amount: 12_345_678n,
      attemptedAmount: null,
      balanceAfter: 12_345_678n,
      description: 'goodwill',
      reference: 'req-1',
      chargeId: null,
      actorUserId: 'staff-1',
      occurredAt: new Date(at),
      positionCommit: 77n,
      positionPrepare: 3n,
    });
  });

  it('signs charges negative, records failed charges as zero with the attempted amount, refunds positive', () => {
    const charged = recorded('WalletCharged', {
      ...base,
      chargeId: 'vps-1:p1',
      amount: '2.5',
      balanceAfter: '7.5',
      description: 'VPS hour',
    });
    const failed = recorded('WalletChargeFailed', {
      ...base,
      chargeId: 'vps-1:p2',
      amount: '9',
      balance: '7.5',
      reason: 'insufficient_funds',
    });
    const refunded = recorded('WalletChargeRefunded', {
      ...base,
      chargeId: 'vps-1:p1',
      amount: '2.5',
      balanceAfter: '10',
      reason: 'outage',
    });
    const adjusted = recorded('WalletAdjusted', {
      ...base,
      amount: '-0.000001',
      balanceAfter: '9.999999',
      reason: 'rounding',
    });
    const rows = foldProjection(walletTransactionsProjection, [charged, failed, refunded, adjusted]);
    expect(rows.get(charged.id)).toMatchObject({
      amount: -2_500_000n,
      attemptedAmount: null,
      balanceAfter: 7_500_000n,
      chargeId: 'vps-1:p1',
      description: 'VPS hour',
    });
    expect(rows.get(failed.id)).toMatchObject({
      amount: 0n,
      attemptedAmount: 9_000_000n,
      balanceAfter: 7_500_000n,
      chargeId: 'vps-1:p2',
      type: 'WalletChargeFailed',
    });
    expect(rows.get(refunded.id)).toMatchObject({
      amount: 2_500_000n,
      balanceAfter: 10_000_000n,
      chargeId: 'vps-1:p1',
      description: 'outage',
    });
    expect(rows.get(adjusted.id)).toMatchObject({ amount: -1n, balanceAfter: 9_999_999n, reference: null });
  });

  it('gives the same row when the same event is applied again', () => {
    const event = recorded('WalletCredited', {
      ...base,
      amount: '1',
      balanceAfter: '1',
      source: 'payment',
      reason: 'pay',
    });
    const once = foldProjection(walletTransactionsProjection, [event]);
    const twice = foldProjection(walletTransactionsProjection, [event, event]);
    expect(twice).toEqual(once);
  });

  it('handles no WalletOpened (it moves no money)', () => {
    expect(walletTransactionsProjection.handles).not.toContain('WalletOpened');
  });
});
