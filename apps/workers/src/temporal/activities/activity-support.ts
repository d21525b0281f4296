import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  DomainError,
  isProviderError,
  PaymentProviderError,
  streams,
  vpsDecider,
  firewallPolicyDecider,
  type FirewallRules,
  evolveBillingFacts,
  fromJsonSnapshot,
  initialBillingFacts,
  toJsonSnapshot,
  VPS_STREAM_POLICY,
  walletBurnReleasedKey,
  walletChargedEventKey,
  walletDecider,
  WALLET_STREAM_POLICY,
  type BillingFacts,
  type CloudProvider,
  type VpsCommand,
  type VpsEvent,
  type VpsState,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import {
  CommandExecutor,
  deterministicEventId,
  type CommandContext,
  type EventStore,
  type ExecuteCommandResult,
  type SnapshotStorePort,
} from '@stratus/eventstore';
import { refundRecordedFirstHour, type PaymentProviderLookup, type SecretBox } from '@stratus/infra';
import type { BillingDirectory, MeteredServers, StuckDeletions } from '@stratus/projections';
import { ACTIVITY_FAILURE_TYPES, ACTIVITY_HEARTBEAT_INTERVAL_MS } from '@stratus/workflows';

/** A server's billing view (Streams.vpsForBilling). */
export interface VpsBilling {
  state: Exclude<VpsState, { status: 'none' }>;
  facts: BillingFacts;
  /** When the server's deletion was recorded (VpsDeletionRequested), if it was. */
  deletionRequestedAt: string | null;
}

/** The billing view's snapshot: beside the server's stream's own snapshot (VPS_STREAM_POLICY), under its own key. */
const billingSnapshotKey = (vpsId: string) => `${streams.vps(vpsId)}/billing`;
/** Bump when VpsState or BillingFacts change shape: snapshots of another version are ignored. */
const BILLING_SNAPSHOT_SCHEMA_VERSION = 3; // 3: facts.priceChanges, state.backupUpcharge
const BILLING_SNAPSHOT_EVERY = VPS_STREAM_POLICY.snapshots!.every;

function billingFromSnapshot(data: unknown): {
  state: VpsState;
  facts: BillingFacts;
  deletionRequestedAt: string | null;
} {
  const billing = fromJsonSnapshot(data) as {
    state: VpsState;
    facts: BillingFacts;
    deletionRequestedAt: string | null;
  };
  // Facts from an older shape (a field missing) are not used: the stream is folded instead.
  for (const field of Object.keys(initialBillingFacts())) {
    if (!(field in (billing.facts ?? {}))) throw new Error(`billing snapshot without facts.${field}`);
  }
  if (typeof billing.state?.status !== 'string') throw new Error('billing snapshot without a state');
  return billing;
}

export interface ActivityLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ActivityDependencies {
  eventStore: EventStore;
  provider: CloudProvider;
  secretBox: Pick<SecretBox, 'decrypt'>;
  /** Wallet snapshots (PostgresSnapshotStore); optional. */
  snapshots?: SnapshotStorePort | null;
  clock?: () => Date;
  log: ActivityLogger;
  /** Poll interval of waitUntilRunning (default 2 000 ms; tests use less). */
  pollIntervalMs?: number;
  /** Each lost write race that was retried (metrics, benchmarks). */
  onConflictRetry?: (streamId: string, attempt: number) => void;
  /** Organizations and their servers, from the read models: which streams a billing reconciliation reads. */
  billingDirectory?: BillingDirectory | null;
  /** Servers with an instance, from the read models (the hourly transfer measurement); without it nothing is measured. */
  meteredServers?: MeteredServers | null;
  /** Servers `deleting` in the read models (the deletion re-signal schedule); without it nothing is re-signalled. */
  stuckDeletions?: StuckDeletions | null;
  /** Sends deleteServerSignal to a server's billing workflow (a Temporal client; see billingDeletionSignaller). */
  signalDeletion?: ((vpsId: string, request: { requestedAt: string }) => Promise<void>) | null;
  /** The payment providers (PaymentProviders from PAYPAL_*, STRIPE_*); without them payment activities fail. */
  paymentProviders?: PaymentProviderLookup | null;
  /**
   * Tells the organization's billing workflows that a payment was credited (walletToppedUpSignal; see
   * billingTopUpSignaller): a suspended server resumes without waiting for its next period.
   */
  signalTopUp?: ((organizationId: string) => Promise<void>) | null;
}

export const SYSTEM_ACTOR = { userId: 'system', role: 'system' } as const;

/** Correlation = the workflow, causation = this activity execution. */
export function activityContext(): CommandContext {
  try {
    const info = Context.current().info;
    return {
      actor: { ...SYSTEM_ACTOR },
      correlationId: info.workflowExecution?.workflowId ?? 'workers',
      causationId: `${info.workflowExecution?.runId ?? 'run'}/${info.activityId}`,
    };
  } catch {
    return { actor: { ...SYSTEM_ACTOR }, correlationId: 'workers', causationId: 'workers' };
  }
}

export const vpsEventId = (vpsId: string, what: string) => deterministicEventId(`vps:${vpsId}:${what}`);

/** Domain refusals and (cloud or payment) provider errors as Temporal failures: final ones are not retried. */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof DomainError) {
    const type =
      error.code === 'not_found' ? ACTIVITY_FAILURE_TYPES.notFound : ACTIVITY_FAILURE_TYPES.domainRejected;
    return ApplicationFailure.create({
      message: `${error.reason}: ${error.message}`,
      type,
      nonRetryable: true,
      details: [error.details ?? null],
    });
  }
  if (error instanceof PaymentProviderError && !error.retryable) {
    return ApplicationFailure.create({
      message: error.message,
      type: ACTIVITY_FAILURE_TYPES.providerFinal,
      nonRetryable: true,
    });
  }
  if (isProviderError(error)) {
    if (error.kind === 'final' || error.kind === 'not_found') {
      return ApplicationFailure.create({
        message: error.message,
        type: ACTIVITY_FAILURE_TYPES.providerFinal,
        nonRetryable: true,
      });
    }
    return error; // retryable: Temporal retries the activity
  }
  return error;
}

/**
 * Domain refusals and provider errors mapped (toActivityFailure), and a heartbeat every
 * ACTIVITY_HEARTBEAT_INTERVAL_MS while the activity runs, so that its heartbeatTimeout notices a dead worker.
 * `selfHeartbeating` activities heartbeat with their own details (a bare heartbeat would replace them).
 */
export function withFailureMapping<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
  selfHeartbeating: readonly string[] = [],
): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    const heartbeats = !selfHeartbeating.includes(name);
    wrapped[name] = async (...args: never[]) => {
      const stop = heartbeats ? keepHeartbeating() : () => undefined;
      try {
        return await fn(...args);
      } catch (error) {
        throw toActivityFailure(error);
      } finally {
        stop();
      }
    };
  }
  return wrapped as T;
}

/** Heartbeats the current activity now and every interval until stopped (nothing outside an activity). */
function keepHeartbeating(): () => void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return () => undefined; // called directly (unit tests): no activity to keep alive
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), ACTIVITY_HEARTBEAT_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** Stream access for the activities: VPS and wallet commands through the CommandExecutor. */
export class Streams {
  readonly executor: CommandExecutor;

  constructor(private readonly deps: ActivityDependencies) {
    this.executor = new CommandExecutor({
      eventStore: deps.eventStore,
      snapshots: deps.snapshots ?? null,
      clock: deps.clock,
      onSnapshotError: (streamId, error) =>
        deps.log.warn('activities: snapshot not loaded or saved (the stream is folded instead)', {
          streamId,
          error: String(error),
        }),
      onConflictRetry: deps.onConflictRetry,
    });
  }

  /** The staff's default firewall policy (null until one is set). */
  async firewallPolicy(): Promise<FirewallRules | null> {
    return (await this.executor.load(streams.firewallPolicy(), firewallPolicyDecider)).state.rules;
  }

  async vps(vpsId: string): Promise<Exclude<VpsState, { status: 'none' }>> {
    const loaded = await this.executor.load(streams.vps(vpsId), vpsDecider, VPS_STREAM_POLICY);
    if (loaded.state.status === 'none') {
      throw ApplicationFailure.create({
        message: `no server ${vpsId} (no VpsRequested in its stream)`,
        type: ACTIVITY_FAILURE_TYPES.notFound,
        nonRetryable: true,
      });
    }
    return loaded.state;
  }

  /**
   * What a period's charge needs from the server's stream: its state, its billing facts (what periods owe is
   * priced from them) and when its deletion was recorded. From a billing snapshot (taken every
   * VPS_STREAM_POLICY.snapshots.every events) plus the events after it: O(1) reads whatever the server's age.
   */
  async vpsForBilling(vpsId: string): Promise<VpsBilling> {
    const streamId = streams.vps(vpsId);
    const key = billingSnapshotKey(vpsId);
    let billing: Omit<VpsBilling, 'state'> & { state: VpsState } = {
      state: vpsDecider.initialState(),
      facts: initialBillingFacts(),
      deletionRequestedAt: null,
    };
    let snapshotRevision: bigint | null = null;
    const store = this.deps.snapshots;
    if (store) {
      try {
        const snapshot = await store.load(key);
        if (snapshot && snapshot.schemaVersion === BILLING_SNAPSHOT_SCHEMA_VERSION) {
          billing = billingFromSnapshot(snapshot.state);
          snapshotRevision = snapshot.revision;
        }
      } catch (error) {
        this.deps.log.warn('activities: billing snapshot not loaded (the stream is folded instead)', {
          streamId,
          error: String(error),
        });
      }
    }
    const recorded = await this.deps.eventStore.readStream(streamId, {
      fromRevision: snapshotRevision === null ? 0n : snapshotRevision + 1n,
    });
    for (const e of recorded) {
      const timed = { event: { type: e.type, data: e.data } as VpsEvent, occurredAt: e.metadata.occurredAt };
      billing.state = vpsDecider.evolve(billing.state, timed.event);
      evolveBillingFacts(billing.facts, timed);
      if (timed.event.type === 'VpsDeletionRequested') billing.deletionRequestedAt ??= timed.occurredAt;
    }
    const { state } = billing;
    if (state.status === 'none') {
      throw ApplicationFailure.create({
        message: `no server ${vpsId} (no VpsRequested in its stream)`,
        type: ACTIVITY_FAILURE_TYPES.notFound,
        nonRetryable: true,
      });
    }
    const last = recorded.at(-1);
    if (store && last && last.revision - (snapshotRevision ?? -1n) >= BigInt(BILLING_SNAPSHOT_EVERY)) {
      // A cache: a failed write only means the next charge folds more events.
      await store
        .save(key, last.revision, BILLING_SNAPSHOT_SCHEMA_VERSION, toJsonSnapshot(billing))
        .catch((error: unknown) =>
          this.deps.log.warn('activities: billing snapshot not saved', { streamId, error: String(error) }),
        );
    }
    return { ...billing, state };
  }

  /** The wallet's balance (from its snapshot and the events after it). */
  async walletBalance(organizationId: string): Promise<bigint> {
    const { state } = await this.executor.load<WalletState, WalletCommand, WalletEvent>(
      streams.wallet(organizationId),
      walletDecider,
      WALLET_STREAM_POLICY,
    );
    return state.status === 'open' ? state.balance : 0n;
  }

  vpsCommand(
    vpsId: string,
    key: string,
    build: (state: VpsState) => Omit<VpsCommand, 'metadata'> | null,
  ): Promise<ExecuteCommandResult<VpsState, VpsEvent>> {
    return this.executor.execute<VpsState, VpsCommand, VpsEvent>({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: activityContext(),
      idempotencyKey: `vps:${vpsId}:${key}`,
      policy: VPS_STREAM_POLICY,
      command: (state, metadata) => {
        const command = build(state);
        return command ? ({ ...command, metadata } as VpsCommand) : null;
      },
    });
  }

  /**
   * ChargeWallet with ids that make a period impossible to charge twice: WalletCharged's id depends on the
   * charge id only; WalletChargeFailed's on the charge id and the attempt.
   */
  async charge(input: {
    organizationId: string;
    chargeId: string;
    amount: bigint;
    attempt: number | string;
    description: string;
    subject: Record<string, string>;
  }): Promise<WalletEvent> {
    const chargedId = deterministicEventId(walletChargedEventKey(input.chargeId));
    const failedId = deterministicEventId(`wallet-charge-failed:${input.chargeId}:${input.attempt}`);
    const result = await this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(input.organizationId),
      decider: walletDecider,
      context: activityContext(),
      policy: WALLET_STREAM_POLICY,
      eventId: (event) => (event.type === 'WalletCharged' ? chargedId : failedId),
      appliedIds: [chargedId, failedId],
      command: (_state, metadata) => ({
        type: 'ChargeWallet',
        data: {
          chargeId: input.chargeId,
          amount: input.amount,
          description: input.description,
          subject: input.subject,
        },
        metadata,
      }),
    });
    const event = result.events[0];
    if (!event) throw new Error(`ChargeWallet ${input.chargeId} decided nothing`);
    return event;
  }

  /** The server leaves its organization's hourly burn (create-vps's guard): after its deletion or failure. */
  async releaseBurn(organizationId: string, vpsId: string): Promise<void> {
    await this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context: activityContext(),
      policy: WALLET_STREAM_POLICY,
      idempotencyKey: walletBurnReleasedKey(vpsId),
      command: (_state, metadata) => ({ type: 'ReleaseBurn', data: { vpsId }, metadata }),
    });
  }

  /** The server's place in the burn at its current price (after a resize or backups toggle; nothing when equal). */
  async repriceBurn(organizationId: string, vpsId: string, hourlyPrice: bigint): Promise<void> {
    await this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context: activityContext(),
      policy: WALLET_STREAM_POLICY,
      command: (_state, metadata) => ({ type: 'RepriceBurn', data: { vpsId, hourlyPrice }, metadata }),
    });
  }

  /**
   * RecordDebt: what the wallet cannot pay at a deletion stays as its debt. Charged at once when a credit came in
   * since (that WalletCharged gets the charge's own id, as `charge` gives it, so the period is paid once whichever
   * path pays it); the debt's id depends on the charge id only.
   */
  async recordDebt(input: {
    organizationId: string;
    chargeId: string;
    amount: bigint;
    description: string;
    subject: Record<string, string>;
  }): Promise<WalletEvent | null> {
    const chargedId = deterministicEventId(walletChargedEventKey(input.chargeId));
    const debtId = deterministicEventId(`wallet-debt:${input.chargeId}`);
    const result = await this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(input.organizationId),
      decider: walletDecider,
      context: activityContext(),
      policy: WALLET_STREAM_POLICY,
      eventId: (event) => (event.type === 'WalletCharged' ? chargedId : debtId),
      appliedIds: [chargedId, debtId],
      command: (_state, metadata) => ({
        type: 'RecordDebt',
        data: {
          chargeId: input.chargeId,
          amount: input.amount,
          description: input.description,
          subject: input.subject,
        },
        metadata,
      }),
    });
    return result.events[0] ?? null;
  }

  /**
   * The provisioning's compensation (refundRecordedFirstHour, shared with the API's staff refund): refunds the
   * charge only if the wallet recorded it, for what it took. Null: never charged.
   */
  async refundFirstHour(input: {
    organizationId: string;
    chargeId: string;
    reason: string;
  }): Promise<{ amount: bigint } | null> {
    const { charge } = await refundRecordedFirstHour(this.executor, this.deps.eventStore, {
      ...input,
      context: activityContext(),
    });
    return charge === null ? null : { amount: charge.amount };
  }
}
