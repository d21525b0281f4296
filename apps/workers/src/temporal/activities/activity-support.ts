import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  DomainError,
  isProviderError,
  streams,
  vpsDecider,
  walletBurnReleasedKey,
  walletDecider,
  WALLET_STREAM_POLICY,
  type CloudProvider,
  type TimedVpsEvent,
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
import { refundFirstHour, type SecretBox } from '@stratus/infra';
import type { BillingDirectory, StuckDeletions } from '@stratus/projections';
import { ACTIVITY_FAILURE_TYPES } from '@stratus/workflows';

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
  /** Servers `deleting` in the read models (the deletion re-signal schedule); without it nothing is re-signalled. */
  stuckDeletions?: StuckDeletions | null;
  /** Sends deleteServerSignal to a server's billing workflow (a Temporal client; see billingDeletionSignaller). */
  signalDeletion?: ((vpsId: string, request: { requestedAt: string }) => Promise<void>) | null;
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

/** Domain refusals and provider errors as Temporal failures: final ones are not retried. */
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

export function withFailureMapping<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    };
  }
  return wrapped as T;
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

  async vps(vpsId: string): Promise<Exclude<VpsState, { status: 'none' }>> {
    const loaded = await this.executor.load(streams.vps(vpsId), vpsDecider);
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
   * The server's state and its events with the instants they were recorded (what a period owes is priced from
   * them), from one read of its stream.
   */
  async vpsForBilling(
    vpsId: string,
  ): Promise<{ state: Exclude<VpsState, { status: 'none' }>; events: TimedVpsEvent[] }> {
    const recorded = await this.deps.eventStore.readStream(streams.vps(vpsId));
    const events = recorded.map((e) => ({
      event: { type: e.type, data: e.data } as VpsEvent,
      occurredAt: e.metadata.occurredAt,
    }));
    const state = events.reduce(
      (current, { event }) => vpsDecider.evolve(current, event),
      vpsDecider.initialState(),
    );
    if (state.status === 'none') {
      throw ApplicationFailure.create({
        message: `no server ${vpsId} (no VpsRequested in its stream)`,
        type: ACTIVITY_FAILURE_TYPES.notFound,
        nonRetryable: true,
      });
    }
    return { state, events };
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
    const chargedId = deterministicEventId(`wallet-charge:${input.chargeId}`);
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

  /** The provisioning's compensation (refundFirstHour, shared with the API's staff termination). */
  async refundFirstHour(input: {
    organizationId: string;
    chargeId: string;
    amount: bigint;
    reason: string;
  }): Promise<void> {
    await refundFirstHour(this.executor, {
      ...input,
      context: activityContext(),
    });
  }
}
