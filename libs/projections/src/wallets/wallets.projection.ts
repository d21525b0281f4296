import { assertNever, DEBT_COLLECTED_SUBJECT_KEY, money, type WalletEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import {
  walletMovement,
  WALLET_MONEY_EVENT_TYPES,
} from '../wallet-transactions/wallet-transactions.projection';
import { WalletEntity, type WalletRow } from './wallet.entity';

export const walletsProjection: Projection<WalletRow> = {
  name: 'wallets',
  entity: WalletEntity,
  handles: ['WalletOpened', ...WALLET_MONEY_EVENT_TYPES] satisfies WalletEvent['type'][],
  keyOf: (event) => asRecorded<WalletEvent>(event).data.organizationId,
  evolve(row, recorded) {
    const event = asRecorded<WalletEvent>(recorded);
    const at = occurredAt(event);
    // A wallet exists from its first event even if WalletOpened is not the first we see.
    const wallet: WalletRow = row ?? {
      organizationId: event.data.organizationId,
      currency: 'USD',
      balance: 0n,
      updatedAt: at,
      transactionCount: 0,
      outstandingDebt: 0n,
    };
    switch (event.type) {
      case 'WalletOpened':
        return { ...wallet, currency: event.data.currency, updatedAt: at };
      case 'WalletDebtRecorded':
        return {
          ...wallet,
          outstandingDebt: wallet.outstandingDebt + money(event.data.amount),
          updatedAt: at,
          transactionCount: wallet.transactionCount + 1,
        };
      case 'WalletCharged':
        return {
          ...wallet,
          balance: walletMovement(event).balanceAfter,
          // The charge a credit makes to collect a debt pays it (the workflow charges nothing once a debt is recorded).
          outstandingDebt:
            event.data.subject?.[DEBT_COLLECTED_SUBJECT_KEY] === 'true'
              ? wallet.outstandingDebt - money(event.data.amount)
              : wallet.outstandingDebt,
          updatedAt: at,
          transactionCount: wallet.transactionCount + 1,
        };
      case 'WalletCredited':
      case 'WalletChargeFailed':
      case 'WalletChargeRefunded':
      case 'WalletAdjusted':
        // The event's balance after is the ledger's word; the tests check it equals the sum of transactions.
        return {
          ...wallet,
          balance: walletMovement(event).balanceAfter,
          updatedAt: at,
          transactionCount: wallet.transactionCount + 1,
        };
      case 'WalletBurnReserved':
      case 'WalletBurnReleased':
        return wallet; // not handled: the burn moves no money
      default:
        return assertNever(event);
    }
  },
};
