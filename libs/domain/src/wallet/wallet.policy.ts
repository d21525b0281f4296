import type { StreamPolicy } from '../shared/stream-policy';
import {
  walletStateFromSnapshot,
  walletStateToSnapshot,
  WALLET_SNAPSHOT_SCHEMA_VERSION,
  type WalletState,
} from './wallet.decider';

/** Wallets are the long streams (one event per charge): fold from a snapshot, take a new one every 200 events. */
export const WALLET_STREAM_POLICY: StreamPolicy<WalletState> = Object.freeze({
  snapshots: Object.freeze({
    every: 200,
    schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION,
    toSnapshot: walletStateToSnapshot,
    fromSnapshot: walletStateFromSnapshot,
  }),
});
