import type { Decider } from '../shared/decider';
import type { OrganizationCommand } from './organization.commands';
import { decideOrganization } from './organization.decide';
import type { OrganizationEvent } from './organization.events';
import { evolveOrganization, initialOrganizationState, type OrganizationState } from './organization.state';

export * from './organization.commands';
export * from './organization.state';
export * from './organization.roles';
export * from './organization.invitations';
export {
  decideOrganization,
  MAX_ORGANIZATION_NAME_LENGTH,
  openInvitationFor,
  type InvitationOpener,
} from './organization.decide';

/**
 * An organization's stream: its name, members and their roles, its custom roles and its invitations. Commands
 * (organization.commands), state and evolve (organization.state), decide (organization.decide), how a role becomes
 * permissions (organization.roles).
 */
export const organizationDecider: Decider<OrganizationState, OrganizationCommand, OrganizationEvent> = {
  decide: decideOrganization,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};
