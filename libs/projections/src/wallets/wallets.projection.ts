import { assertNever, type WalletEvent } from '@stratus/domain';
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
    };
    switch (event.type) {
      case 'WalletOpened':
        return { ...wallet, currency: event.data.currency, updatedAt: at };
      case 'WalletCredited':
      case 'WalletCharged':
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
