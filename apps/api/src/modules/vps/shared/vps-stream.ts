import type { ExistingVpsState, VpsState } from '@stratus/domain';
import { isUuid } from '../../../shared/auth/organization-access.service';
import { vpsNotFound } from './vps-lookup';

/** The server id as its stream is named; anything but a uuid is the same 404 as an unknown server. */
export function vpsIdFrom(vpsId: string): string {
  if (!isUuid(vpsId)) throw vpsNotFound();
  return vpsId.toLowerCase();
}

/**
 * The organization's server as the command's decider folded it from its stream (commands never act on a
 * lagging read model); an unknown server and another organization's are the same 404.
 */
export function requireOrganizationVps(state: VpsState, organizationId: string): ExistingVpsState {
  if (state.status === 'none' || state.organizationId !== organizationId) throw vpsNotFound();
  return state;
}
