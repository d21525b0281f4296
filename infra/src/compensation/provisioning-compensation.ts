import {
  MAX_WALLET_TEXT_LENGTH,
  money,
  streams,
  vpsInstanceTag,
  walletDecider,
  WALLET_STREAM_POLICY,
  type CloudProvider,
  type ProviderInstance,
  type WalletCharged,
  type WalletChargeRefunded,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import type { CommandContext, CommandExecutor, EventStore } from '@stratus/eventstore';

/**
 * The compensations of a provisioning that is undone: give the first hour back, and find (or delete) what the
 * provider still holds for the server. One implementation for both places that undo a provisioning: the
 * provisioning workflow's activities (abort, failure) and the API's staff termination (the workflow is
 * terminated, so nothing runs in it). Both give a refund the same event id, so whichever runs, the first hour
 * is refunded once.
 */

/** Idempotency key of the refund of a charge: its WalletChargeRefunded's id is derived from it. */
export const chargeRefundKey = (chargeId: string) => `wallet-refund:${chargeId}`;

export interface FirstHourRefund {
  organizationId: string;
  chargeId: string;
  amount: bigint;
  reason: string;
  context: CommandContext;
}

/** Refunds one first-hour charge; `refundedNow` is false when it had been refunded already (by either side). */
export async function refundFirstHour(
  executor: CommandExecutor,
  refund: FirstHourRefund,
): Promise<{ refundedNow: boolean }> {
  const result = await executor.execute<WalletState, WalletCommand, WalletEvent>({
    streamId: streams.wallet(refund.organizationId),
    decider: walletDecider,
    context: refund.context,
    policy: WALLET_STREAM_POLICY,
    idempotencyKey: chargeRefundKey(refund.chargeId),
    command: (_state, metadata) => ({
      type: 'RefundCharge',
      data: {
        chargeId: refund.chargeId,
        amount: refund.amount,
        reason: refund.reason.slice(0, MAX_WALLET_TEXT_LENGTH),
      },
      metadata,
    }),
  });
  return { refundedNow: !result.alreadyApplied && result.events.length > 0 };
}

/**
 * What the wallet recorded for a charge id: the amount charged (null: never charged) and whether it was refunded.
 * A compensation refunds only a recorded charge, for what it took. Reads the wallet's stream.
 */
export async function recordedCharge(
  eventStore: EventStore,
  organizationId: string,
  chargeId: string,
): Promise<{ amount: bigint; refunded: boolean } | null> {
  let amount: bigint | null = null;
  let refunded = false;
  for (const event of await eventStore.readStream(streams.wallet(organizationId))) {
    if (event.type === 'WalletCharged' && (event.data as WalletCharged['data']).chargeId === chargeId) {
      amount = money((event.data as WalletCharged['data']).amount);
    } else if (
      event.type === 'WalletChargeRefunded' &&
      (event.data as WalletChargeRefunded['data']).chargeId === chargeId
    ) {
      refunded = true;
    }
  }
  return amount === null ? null : { amount, refunded };
}

export interface RecordedFirstHourRefund {
  organizationId: string;
  chargeId: string;
  reason: string;
  context: CommandContext;
}

/**
 * Refunds a first hour only if the wallet recorded its charge, for what it took (the charge may have committed
 * and its activity failed after). `charge` is null when it was never charged; `refundedNow` is false when it
 * was refunded already (by the workflow, staff or an earlier run). The provisioning workflow's compensation and
 * staff's refund of a failed server both go through here, under one refund id per charge.
 */
export async function refundRecordedFirstHour(
  executor: CommandExecutor,
  eventStore: EventStore,
  refund: RecordedFirstHourRefund,
): Promise<{ charge: { amount: bigint; refunded: boolean } | null; refundedNow: boolean }> {
  const charge = await recordedCharge(eventStore, refund.organizationId, refund.chargeId);
  if (charge === null) return { charge: null, refundedNow: false };
  if (charge.refunded) return { charge, refundedNow: false };
  const { refundedNow } = await refundFirstHour(executor, { ...refund, amount: charge.amount });
  return { charge, refundedNow };
}

/** The server's instances the provider still runs (found by its tag, so one whose creation answer was lost too). */
export async function liveInstancesOf(provider: CloudProvider, vpsId: string): Promise<ProviderInstance[]> {
  const instances = await provider.findInstancesByTag(vpsInstanceTag(vpsId));
  return instances.filter((instance) => instance.status !== 'deleting');
}

/**
 * Deletes the server's instances: by tag, and by the recorded id. Deleting a missing instance succeeds, so
 * running it twice is harmless. `deleted` counts the instances found by tag.
 */
export async function deleteInstancesOf(
  provider: CloudProvider,
  vpsId: string,
  providerInstanceId: string | null,
): Promise<{ deleted: number }> {
  const tagged = (await liveInstancesOf(provider, vpsId)).map((instance) => instance.id);
  const ids = new Set<string>(tagged);
  if (providerInstanceId) ids.add(providerInstanceId);
  for (const id of ids) await provider.deleteInstance(id);
  return { deleted: tagged.length };
}
