import { Inject, Injectable } from '@nestjs/common';
import {
  consoleDecider,
  DomainError,
  streams,
  type ConsoleCommand,
  type ConsoleState,
  STRATUS_ID_NAMESPACE,
} from '@stratus/domain';
import { v5 as uuidv5 } from 'uuid';
import { CommandExecutor } from '@stratus/eventstore';
import { CommandContext } from '../../../shared/request-context/command-context';
import { CONSOLE_SETTINGS, type ConsoleSettings } from './console-settings';

export interface ConsoleActor {
  userId: string;
  platformRole: string;
  ip: string | null;
  userAgent: string | null;
  impersonatorId?: string;
  apiKeyId?: string;
}

export type HostKeyCheck = { status: 'trusted' | 'pinned' } | { status: 'changed'; pinned: string };

/**
 * The console stream (`console-<vpsId>`) through its decider: host keys pinned on first use, sessions
 * opened and closed. Event ids are derived from the session (or the key), so a retried append is
 * acknowledged rather than duplicated.
 */
@Injectable()
export class ConsoleAudit {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  /** Waits for the appends in flight (shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Trust on first use: pins the key when none is pinned; says whether the presented key matches. */
  async checkHostKey(
    target: { vpsId: string; organizationId: string },
    key: { algorithm: string; fingerprint: string },
    actor: ConsoleActor,
    sessionId: string,
  ): Promise<HostKeyCheck> {
    try {
      const result = await this.execute(
        target.vpsId,
        actor,
        sessionId,
        (metadata) => ({
          type: 'PinConsoleHostKey',
          data: { vpsId: target.vpsId, organizationId: target.organizationId, ...key },
          metadata,
        }),
        // After a rebuild the same key may be pinned again (a provider that keeps host keys): a new event then.
        (state) =>
          `console-pin:${target.vpsId}:${key.algorithm}:${key.fingerprint}` +
          (state.status !== 'unpinned' && state.lastResetBy ? `:after-reset:${state.lastResetBy}` : ''),
      );
      return { status: result.events.length > 0 ? 'pinned' : 'trusted' };
    } catch (error) {
      if (error instanceof DomainError && error.reason === 'host_key_changed') {
        const pinned = (error.details?.pinned ?? {}) as { algorithm?: string; fingerprint?: string };
        return { status: 'changed', pinned: `${pinned.algorithm} ${pinned.fingerprint}` };
      }
      throw error;
    }
  }

  /** The pinned host key algorithm, to offer only it in the next handshake (null before the first). */
  async pinnedAlgorithm(vpsId: string): Promise<string | null> {
    const { state } = await this.executor.load(streams.console(vpsId), consoleDecider);
    return state.status === 'pinned' ? state.hostKey.algorithm : null;
  }

  async opened(vpsId: string, sessionId: string, actor: ConsoleActor): Promise<void> {
    await this.execute(
      vpsId,
      actor,
      sessionId,
      (metadata) => ({
        type: 'OpenConsoleSession',
        data: {
          sessionId,
          userId: actor.userId,
          ip: actor.ip,
          userAgent: actor.userAgent,
          instanceId: this.settings.instanceId,
        },
        metadata,
      }),
      `console-session:${sessionId}:opened`,
    );
  }

  async closed(
    vpsId: string,
    sessionId: string,
    actor: ConsoleActor,
    data: { reason: string; bytesIn: number; bytesOut: number },
  ): Promise<void> {
    await this.execute(
      vpsId,
      actor,
      sessionId,
      (metadata) => ({ type: 'CloseConsoleSession', data: { sessionId, ...data }, metadata }),
      `console-session:${sessionId}:closed`,
    );
  }

  /**
   * Closes, as the system, a session this instance's previous run left open (see ConsoleSessionRecovery).
   * Same event id as the session's normal close: whichever is recorded first wins, the other is refused
   * (session_not_open) by the decider.
   */
  async closeAbandoned(vpsId: string, sessionId: string): Promise<void> {
    const context = CommandContext.system(`console-recovery:${sessionId}`);
    await this.executor.execute({
      streamId: streams.console(vpsId),
      decider: consoleDecider,
      context,
      command: (_state, metadata) => ({
        type: 'CloseAbandonedConsoleSession' as const,
        data: { sessionId, instanceId: this.settings.instanceId },
        metadata,
      }),
      eventId: (_event, index) =>
        uuidv5(`console-session:${sessionId}:closed:${index}`, STRATUS_ID_NAMESPACE),
    });
  }

  private execute(
    vpsId: string,
    actor: ConsoleActor,
    sessionId: string,
    command: (metadata: ConsoleCommand['metadata']) => ConsoleCommand,
    eventKey: string | ((state: ConsoleState) => string),
  ) {
    const appending = this.append(vpsId, actor, sessionId, command, eventKey);
    this.inFlight.add(appending);
    void appending.catch(() => undefined).finally(() => this.inFlight.delete(appending));
    return appending;
  }

  private append(
    vpsId: string,
    actor: ConsoleActor,
    sessionId: string,
    command: (metadata: ConsoleCommand['metadata']) => ConsoleCommand,
    eventKey: string | ((state: ConsoleState) => string),
  ) {
    let key = typeof eventKey === 'string' ? eventKey : '';
    const context = new CommandContext(sessionId, sessionId, {
      userId: actor.userId,
      role: actor.platformRole,
      ...(actor.impersonatorId ? { impersonatorId: actor.impersonatorId } : {}),
      ...(actor.apiKeyId ? { apiKeyId: actor.apiKeyId } : {}),
      ...(actor.ip ? { ip: actor.ip } : {}),
      ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
    });
    return this.executor.execute({
      streamId: streams.console(vpsId),
      decider: consoleDecider,
      context,
      command: (state, metadata) => {
        if (typeof eventKey !== 'string') key = eventKey(state);
        return command(metadata);
      },
      eventId: (_event, index) => uuidv5(`${key}:${index}`, STRATUS_ID_NAMESPACE),
    });
  }
}
