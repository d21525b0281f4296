import { streams } from '@stratus/domain';
import type { RecordedEvent } from '@stratus/eventstore';
import { foldProjection, vpsServersProjection, type VpsServerRow } from '@stratus/projections';
import { isUuid } from '../../../shared/auth/organization-access.service';
import type { EventStore } from '@stratus/eventstore';
import { vpsNotFound } from './vps-lookup';

export interface VpsStream {
  vpsId: string;
  events: RecordedEvent[];
  /** The server folded from its own stream (current, unlike the read model). */
  server: VpsServerRow;
  /** Activated at some point: a billing workflow owns it from then on. */
  activated: boolean;
}

/**
 * The organization's server folded from its stream (commands must not act on a lagging read model);
 * unknown ids and another organization's servers are the same 404.
 */
export async function loadVpsStream(
  eventStore: EventStore,
  organizationId: string,
  vpsId: string,
): Promise<VpsStream> {
  if (!isUuid(vpsId)) throw vpsNotFound();
  const id = vpsId.toLowerCase();
  const events = await eventStore.readStream(streams.vps(id));
  const server = foldProjection(vpsServersProjection, events).get(id);
  if (!server || server.organizationId !== organizationId) throw vpsNotFound();
  return { vpsId: id, events, server, activated: events.some((e) => e.type === 'VpsActivated') };
}
