import { Inject, Injectable } from '@nestjs/common';
import { hasPermission, memberRole, streams, vpsDecider, type VpsStatus } from '@stratus/domain';
import { VpsServerEntity, type ProjectionsOrm } from '@stratus/projections';
import { isUuid, OrganizationAccess } from '../../../shared/auth/organization-access.service';
import { AggregateRepository } from '../../../shared/event-sourcing/aggregate-repository';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import { CONSOLE_CLOSE, ConsoleRefusal } from './console-refusal';

export const CONSOLE_PERMISSION = 'vps_manage' as const;

/** A server the console may connect to right now. The password stays encrypted until the SSH login. */
export interface ConsoleTarget {
  vpsId: string;
  organizationId: string;
  ipv4: string;
  encryptedRootPassword: string;
}

const NOT_RUNNING: Record<Exclude<VpsStatus, 'active'>, string> = {
  none: 'does not exist',
  provisioning: 'is still being provisioned',
  stuck: 'is stuck in provisioning',
  failed: 'failed to provision',
  suspended: 'is suspended (unpaid)',
  deleting: 'is being deleted',
  deleted: 'was deleted',
};

/**
 * Who may open a console on which server, decided from the streams (current, unlike the read models):
 * a member of the server's organization with vps_manage, on an active server with an address.
 * Refusals carry the WebSocket close code; the HTTP ticket endpoint maps them to statuses.
 */
@Injectable()
export class ConsoleAccess {
  constructor(
    private readonly organizations: OrganizationAccess,
    private readonly repository: AggregateRepository,
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
  ) {}

  async requireMemberWithPermission(organizationId: string, userId: string): Promise<void> {
    const state = await this.organizations.load(organizationId);
    const role = memberRole(state, userId);
    if (state.status !== 'active' || role === undefined) {
      throw new ConsoleRefusal(CONSOLE_CLOSE.notFound, 'organization not found');
    }
    if (!hasPermission(role, CONSOLE_PERMISSION)) {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.forbidden,
        `your role (${role}) lacks the vps_manage permission`,
      );
    }
  }

  async requireActiveServer(organizationId: string, vpsId: string): Promise<ConsoleTarget> {
    if (!isUuid(vpsId)) throw new ConsoleRefusal(CONSOLE_CLOSE.notFound, 'server not found');
    const id = vpsId.toLowerCase();
    const { state } = await this.repository.load(streams.vps(id), vpsDecider);
    if (state.status === 'none' || state.organizationId !== organizationId) {
      throw new ConsoleRefusal(CONSOLE_CLOSE.notFound, 'server not found');
    }
    if (state.status !== 'active' || !state.ipv4) {
      const why = state.status === 'active' ? 'has no address yet' : NOT_RUNNING[state.status];
      throw new ConsoleRefusal(CONSOLE_CLOSE.serverNotRunning, `server not running: it ${why}`);
    }
    return {
      vpsId: id,
      organizationId,
      ipv4: state.ipv4,
      encryptedRootPassword: state.encryptedRootPassword,
    };
  }

  async check(userId: string, organizationId: string, vpsId: string): Promise<ConsoleTarget> {
    await this.requireMemberWithPermission(organizationId, userId);
    return this.requireActiveServer(organizationId, vpsId);
  }

  /**
   * The periodic re-check of open sessions (a safety net behind the event subscription): the organization
   * from its short stream, the server's status from the read model (one row, however long its history).
   */
  async recheck(userId: string, organizationId: string, vpsId: string): Promise<void> {
    await this.requireMemberWithPermission(organizationId, userId);
    const row = await this.orm.em.fork().findOne(VpsServerEntity, { id: vpsId, organizationId });
    if (row && row.status !== 'active') {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.serverNotRunning,
        `server not running: it ${NOT_RUNNING[row.status]}`,
      );
    }
  }
}
