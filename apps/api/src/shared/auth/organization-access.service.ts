import { Injectable } from '@nestjs/common';
import {
  memberAccess,
  organizationDecider,
  streams,
  type OrganizationState,
  type Permission,
  type RoleId,
} from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../errors/api-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export interface OrganizationMembership {
  organizationId: string;
  /** A predefined role's name or the id of one of the organization's custom roles. */
  role: RoleId;
  /** How the role is called: the predefined name, or the custom role's name. */
  roleName: string;
  state: Extract<OrganizationState, { status: 'active' }>;
  /**
   * What the caller may do here now: their role's permissions (predefined or custom), narrowed to an API key's
   * scopes when the request came with a key. Ask this, never the role, whether the caller holds a permission.
   */
  permissions: readonly Permission[];
  /** The API key's scopes when the request came with one (they also narrow what the caller may hand out). */
  scopes?: readonly Permission[];
}

/**
 * Membership and effective permissions are decided by folding the organization's own stream, not by the
 * memberships read model: the stream is authoritative and current, so a member added a millisecond ago is let in,
 * a member removed (or a custom role narrowed) a millisecond ago is kept out, with no wait on projections.
 * Organization streams are short (creation, membership, roles and invitations), so the fold is cheap. Every check
 * of what a member may do in an organization goes through here (routes, live updates, API keys).
 */
@Injectable()
export class OrganizationAccess {
  constructor(private readonly executor: CommandExecutor) {}

  async load(organizationId: string): Promise<OrganizationState> {
    if (!isUuid(organizationId)) return organizationDecider.initialState();
    const loaded = await this.executor.load(streams.organization(organizationId), organizationDecider);
    return loaded.state;
  }

  /**
   * The caller's membership, or 404 for a non-member and for an organization that does not exist alike.
   * `scopes`: an API key's permissions; the membership then grants only those the member still holds.
   */
  async requireMembership(
    organizationId: string,
    userId: string,
    scopes?: readonly Permission[],
  ): Promise<OrganizationMembership> {
    const state = await this.load(organizationId);
    const access = memberAccess(state, userId);
    if (state.status !== 'active' || access === undefined) {
      throw ApiError.notFound('Organization not found');
    }
    const permissions = scopes ? access.permissions.filter((p) => scopes.includes(p)) : access.permissions;
    return {
      organizationId: state.organizationId,
      role: access.roleId,
      roleName: access.name,
      state,
      permissions,
      ...(scopes ? { scopes } : {}),
    };
  }
}

/** 403 for a member (or an API key) without the permission: membership is no secret to a member. */
export function assertPermission(membership: OrganizationMembership, permission: Permission): void {
  if (membership.permissions.includes(permission)) return;
  throw new ApiError(
    403,
    'forbidden',
    membership.scopes
      ? `This API key lacks the ${permission} permission (its scopes, within its owner's role ${membership.roleName})`
      : `Your role (${membership.roleName}) lacks the ${permission} permission`,
    { permission, role: membership.role },
  );
}
