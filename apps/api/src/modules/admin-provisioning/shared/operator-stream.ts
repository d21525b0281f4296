import { streams, vpsDecider, type ExistingVpsState } from '@stratus/domain';
import type { RecordedEvent } from '@stratus/eventstore';
import { isUuid } from '../../../shared/auth/organization-access.service';
import type { AggregateRepository } from '../../../shared/event-sourcing/aggregate-repository';
import { vpsNotFound } from '../../vps/shared/vps-lookup';

export interface OperatorView {
  vpsId: string;
  state: ExistingVpsState;
  events: RecordedEvent[];
}

/** Any organization's server, folded from its stream (staff act across organizations); unknown ids are 404. */
export async function loadServerForOperator(
  repository: AggregateRepository,
  vpsId: string,
): Promise<OperatorView> {
  if (!isUuid(vpsId)) throw vpsNotFound();
  const id = vpsId.toLowerCase();
  const loaded = await repository.load(streams.vps(id), vpsDecider);
  if (loaded.state.status === 'none') throw vpsNotFound();
  return { vpsId: id, state: loaded.state, events: loaded.events };
}

/** Index of the last event of one of `types`, or -1. */
export function lastIndexOf(events: RecordedEvent[], ...types: string[]): number {
  for (let i = events.length - 1; i >= 0; i--) if (types.includes(events[i].type)) return i;
  return -1;
}
