import type { Decider } from '../shared/decider';
import type { VpsCommand } from './vps.commands';
import { decideVps } from './vps.decide';
import type { VpsEvent } from './vps.events';
import { evolveVps, initialVpsState, type VpsState } from './vps.state';

export * from './vps.commands';
export * from './vps.state';
export { decideVps } from './vps.decide';
export {
  isVpsOperationKind,
  MAX_HOSTNAME_LENGTH,
  MAX_VPS_INSTANCES_LEFT,
  MAX_VPS_REASON_LENGTH,
  MAX_VPS_SSH_KEYS,
  MAX_SNAPSHOT_LABEL_LENGTH,
  requireBackupId,
  requireHostname,
  requireVpsLabel,
  VPS_LABEL_PATTERN,
  VPS_OPERATION_KINDS,
  VPS_POWER_ACTIONS,
  VPS_PROVISIONING_STAGES,
} from './vps.validation';

/** A server's stream: commands (vps.commands), state and evolve (vps.state), decide (vps.decide). */
export const vpsDecider: Decider<VpsState, VpsCommand, VpsEvent> = {
  decide: decideVps,
  evolve: evolveVps,
  initialState: initialVpsState,
};
