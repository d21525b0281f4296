import { Injectable } from '@nestjs/common';
import {
  memberRole,
  organizationDecider,
  streams,
  type OrganizationRole,
  type OrganizationState,
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

  /** The caller's membership, or 404 for a non-member and for an organization that does not exist alike. */
  async requireMembership(organizationId: string, userId: string): Promise<OrganizationMembership> {
    const state = await this.load(organizationId);
    const role = memberRole(state, userId);
    if (state.status !== 'active' || role === undefined) {
      throw ApiError.notFound('Organization not found');
    }
    return { organizationId: state.organizationId, role, state };
  }
}
