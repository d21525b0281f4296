import {
  streams,
  walletDecider,
  walletStateFromSnapshot,
  walletStateToSnapshot,
  WALLET_SNAPSHOT_SCHEMA_VERSION,
  type WalletState,
} from '@stratus/domain';
import { v5 as uuidv5 } from 'uuid';
import type {
  AggregateRepository,
  SnapshotPolicy,
} from '../../../shared/event-sourcing/aggregate-repository';
import type { CommandContext } from '../../../shared/request-context/command-context';

/** Namespace of the API's deterministic ids (uuid v5). */
export const STRATUS_ID_NAMESPACE = '3f0b8f52-6c2e-4b8e-9a51-7c1d2f6e4a90';

/** Wallets are the long streams (one event per charge): fold from a snapshot, take a new one every 200 events. */
export const WALLET_SNAPSHOTS: SnapshotPolicy<WalletState> = {
  every: 200,
  schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION,
  toSnapshot: walletStateToSnapshot,
  fromSnapshot: walletStateFromSnapshot,
};

/** One wallet per organization, so its id is derived from the organization's: opening twice records nothing. */
export function walletIdOf(organizationId: string): string {
  return uuidv5(`wallet:${organizationId}`, STRATUS_ID_NAMESPACE);
}

export function openWallet(repository: AggregateRepository, organizationId: string, context: CommandContext) {
  return repository.execute({
    streamId: streams.wallet(organizationId),
    decider: walletDecider,
    context,
    snapshots: WALLET_SNAPSHOTS,
    command: (_state, metadata) => ({
      type: 'OpenWallet' as const,
      data: { walletId: walletIdOf(organizationId), organizationId },
      metadata,
    }),
  });
}
