import { Injectable } from '@nestjs/common';
import { memberAccess, organizationDecider, streams, vpsDecider, type VpsStatus } from '@stratus/domain';
import { isUuid } from '../../../shared/auth/organization-access.service';
import { CommandExecutor } from '@stratus/eventstore';
import { CONSOLE_CLOSE, ConsoleRefusal } from './console-refusal';

export const CONSOLE_PERMISSION = 'vps_manage' as const;

/** A stream and the last revision the check read (-1n: empty), to follow it from there. */
export interface CheckedStream {
  streamId: string;
  revision: bigint;
}

/** A server the console may connect to right now. The password stays encrypted until the SSH login. */
export interface ConsoleTarget {
  vpsId: string;
  organizationId: string;
  ipv4: string;
  encryptedRootPassword: string;
  /** The organization's and the server's streams as the check read them. */
  checked: CheckedStream[];
}

const NOT_RUNNING: Record<Exclude<VpsStatus, 'active'>, string> = {
  none: 'does not exist',
  provisioning: 'is still being provisioned',
  stuck: 'is stuck in provisioning',
  failed: 'failed to provision',
  suspended: 'is suspended (unpaid)',
  deleting: 'is being deleted',
  cancelling: 'is being deleted',
  deleted: 'was deleted',
};

const revisionOf = (revision: bigint | 'no_stream'): bigint => (revision === 'no_stream' ? -1n : revision);

/**
 * Who may open a console on which server, decided from the streams (current, unlike the read models):
 * a member of the server's organization with vps_manage, on an active server with an address.
 * Refusals carry the WebSocket close code; the HTTP ticket endpoint maps them to statuses.
 */
@Injectable()
export class ConsoleAccess {
  constructor(private readonly executor: CommandExecutor) {}

  async requireMemberWithPermission(organizationId: string, userId: string): Promise<CheckedStream> {
    const streamId = streams.organization(organizationId);
    const loaded = isUuid(organizationId) ? await this.executor.load(streamId, organizationDecider) : null;
    const state = loaded?.state ?? organizationDecider.initialState();
    const role = memberAccess(state, userId);
    if (state.status !== 'active' || role === undefined) {
      throw new ConsoleRefusal(CONSOLE_CLOSE.notFound, 'organization not found');
    }
    if (!role.permissions.includes(CONSOLE_PERMISSION)) {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.forbidden,
        `your role (${role.name}) lacks the vps_manage permission`,
      );
    }
    return { streamId, revision: revisionOf(loaded!.revision) };
  }

  async requireActiveServer(
    organizationId: string,
    vpsId: string,
  ): Promise<Omit<ConsoleTarget, 'checked'> & { checked: CheckedStream }> {
    if (!isUuid(vpsId)) throw new ConsoleRefusal(CONSOLE_CLOSE.notFound, 'server not found');
    const id = vpsId.toLowerCase();
    const streamId = streams.vps(id);
    const { state, revision } = await this.executor.load(streamId, vpsDecider);
    if (state.status === 'none' || state.organizationId !== organizationId) {
      throw new ConsoleRefusal(CONSOLE_CLOSE.notFound, 'server not found');
    }
    // An active server has its address (the decider's state says so).
    if (state.status !== 'active') {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.serverNotRunning,
        `server not running: it ${NOT_RUNNING[state.status]}`,
      );
    }
    // A restore rewrites the disks and powers the server off and on: no shell meanwhile.
    if (state.operation?.kind === 'restore') {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.serverNotRunning,
        'server not running: it is being restored from a backup',
      );
    }
    return {
      vpsId: id,
      organizationId,
      ipv4: state.ipv4,
      encryptedRootPassword: state.encryptedRootPassword,
      checked: { streamId, revision: revisionOf(revision) },
    };
  }

  async check(userId: string, organizationId: string, vpsId: string): Promise<ConsoleTarget> {
    const organization = await this.requireMemberWithPermission(organizationId, userId);
    const server = await this.requireActiveServer(organizationId, vpsId);
    return { ...server, checked: [organization, server.checked] };
  }
}
