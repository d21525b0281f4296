import { assertNever, money, type WalletEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';

import { WalletTransactionEntity, type WalletTransactionRow } from './wallet-transaction.entity';

/** Every wallet event that moves money or records an attempt to. */
export type WalletMoneyEvent = Exclude<
  WalletEvent,
  { type: 'WalletOpened' | 'WalletBurnReserved' | 'WalletBurnReleased' }
>;
export const WALLET_MONEY_EVENT_TYPES = [
  'WalletCredited',
  'WalletCharged',
  'WalletChargeFailed',
  'WalletChargeRefunded',
  'WalletAdjusted',
  'WalletDebtRecorded',
] as const satisfies readonly WalletMoneyEvent['type'][];

type Movement = Pick<
  WalletTransactionRow,
  'amount' | 'attemptedAmount' | 'balanceAfter' | 'description' | 'reference' | 'chargeId'
>;

/** What a money event does to the balance: signed amount and balance after, in micro-dollars. */
export function walletMovement(event: ReturnType<typeof asRecorded<WalletMoneyEvent>>): Movement {
  switch (event.type) {
    case 'WalletCredited':
      return {
        amount: money(event.data.amount),
        attemptedAmount: null,
        balanceAfter: money(event.data.balanceAfter),
        description: event.data.reason,
        reference: event.data.reference ?? null,
        chargeId: null,
      };
    case 'WalletCharged':
      return {
        amount: -money(event.data.amount),
        attemptedAmount: null,
        balanceAfter: money(event.data.balanceAfter),
        description: event.data.description,
        reference: null,
        chargeId: event.data.chargeId,
      };
    case 'WalletChargeFailed':
      return {
        amount: 0n,
        attemptedAmount: money(event.data.amount),
        balanceAfter: money(event.data.balance),
        description: `Charge failed: ${event.data.reason.replace(/_/g, ' ')}`,
        reference: null,
        chargeId: event.data.chargeId,
      };
    case 'WalletChargeRefunded':
      return {
        amount: money(event.data.amount),
        attemptedAmount: null,
        balanceAfter: money(event.data.balanceAfter),
        description: event.data.reason,
        reference: null,
        chargeId: event.data.chargeId,
      };
    case 'WalletAdjusted':
      return {
        amount: money(event.data.amount),
        attemptedAmount: null,
        balanceAfter: money(event.data.balanceAfter),
        description: event.data.reason,
        reference: event.data.reference ?? null,
        chargeId: null,
      };
    case 'WalletDebtRecorded':
      // Moves no money: the unpaid amount, kept as the wallet's debt until a credit collects it.
      return {
        amount: 0n,
        attemptedAmount: money(event.data.amount),
        balanceAfter: money(event.data.balance),
        description: `Outstanding debt: ${event.data.description}`,
        reference: null,
        chargeId: event.data.chargeId,
      };
    default:
      return assertNever(event);
  }
}

export const walletTransactionsProjection: Projection<WalletTransactionRow> = {
  name: 'wallet-transactions',
  entity: WalletTransactionEntity,
  handles: WALLET_MONEY_EVENT_TYPES,
  keyOf: (event) => event.id,
  evolve(_row, recorded) {
    // One row per event, fully determined by the event: applying it again yields the same row.
    const event = asRecorded<WalletMoneyEvent>(recorded);
    return {
      id: event.id,
      organizationId: event.data.organizationId,
      type: event.type,
      ...walletMovement(event),
      actorUserId: event.metadata.actor.userId,
      occurredAt: occurredAt(event),
      positionCommit: event.position.commit,
      positionPrepare: event.position.prepare,
    };
  },
};
