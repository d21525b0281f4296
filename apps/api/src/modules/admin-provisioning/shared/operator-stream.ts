import { streams, vpsDecider, type ExistingVpsState, type VpsEvent, type VpsState } from '@stratus/domain';
import type { EventStore, Position, RecordedEvent, CommandExecutor } from '@stratus/eventstore';
import { vpsNotFound } from '../../vps/shared/vps-lookup';
import { vpsIdFrom } from '../../vps/shared/vps-stream';

export interface OperatorView {
  vpsId: string;
  state: ExistingVpsState;
  events: RecordedEvent[];
}

/** Any organization's server (staff act across organizations), folded by its decider; unknown ids are 404. */
export function requireServer(state: VpsState): ExistingVpsState {
  if (state.status === 'none') throw vpsNotFound();
  return state;
}

/** Any organization's server folded from its stream, with the events read. */
export async function loadServerForOperator(executor: CommandExecutor, vpsId: string): Promise<OperatorView> {
  const id = vpsIdFrom(vpsId);
  const loaded = await executor.load(streams.vps(id), vpsDecider);
  return { vpsId: id, state: requireServer(loaded.state), events: loaded.events };
}

/**
 * The operator request an earlier call recorded (the decider records a pending request once, so a repeated
 * call appends nothing): its id and position answer the repeated call.
 */
export async function recordedRequest(
  eventStore: EventStore,
  vpsId: string,
  type: Extract<VpsEvent['type'], 'VpsProvisioningRetryRequested' | 'VpsProvisioningAbortRequested'>,
): Promise<{ eventId: string | null; position: Position | null }> {
  const events = await eventStore.readStream(streams.vps(vpsId));
  const request = [...events].reverse().find((event) => event.type === type);
  return { eventId: request?.id ?? null, position: request?.position ?? null };
}
