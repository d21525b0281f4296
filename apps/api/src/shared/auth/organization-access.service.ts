import { Injectable } from '@nestjs/common';
import {
  memberRole,
  organizationDecider,
  permissionsOf,
  streams,
  type OrganizationRole,
  type OrganizationState,
  type Permission,
} from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../errors/api-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export interface OrganizationMembership {
  organizationId: string;
  role: OrganizationRole;
  state: Extract<OrganizationState, { status: 'active' }>;
  /**
   * What the caller may do here now: their role's permissions, narrowed to an API key's scopes when the request
   * came with a key. Ask this, never the role, whether the caller holds a permission.
   */
  permissions: readonly Permission[];
}

/**
 * Membership is decided by folding the organization's own stream, not by the memberships read
 * model: the stream is authoritative and current, so a member added a millisecond ago is let in
 * and a member removed a millisecond ago is kept out, with no wait on projections. Organization
 * streams are short (creation plus membership changes), so the fold is cheap.
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
    const role = memberRole(state, userId);
    if (state.status !== 'active' || role === undefined) {
      throw ApiError.notFound('Organization not found');
    }
    const held = permissionsOf(role);
    const permissions = scopes ? held.filter((p) => scopes.includes(p)) : held;
    return { organizationId: state.organizationId, role, state, permissions };
  }
}
