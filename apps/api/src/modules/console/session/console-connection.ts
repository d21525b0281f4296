import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Logger } from '@nestjs/common';
import type { SecretBox } from '@stratus/infra';
import { v4 as uuidv4 } from 'uuid';
import type { RawData, WebSocket } from 'ws';
import { ConsoleAccess } from '../shared/console-access.service';
import { ConsoleAudit, type ConsoleActor } from '../shared/console-audit.service';
import { CONSOLE_CLOSE, ConsoleRefusal, closeReason, type ConsoleCloseCode } from '../shared/console-refusal';
import {
  CONSOLE_AUTH_TIMEOUT_MS,
  CONSOLE_MAX_FRAME_BYTES,
  type ConsoleSettings,
} from '../shared/console-settings';
import { ConsoleTickets, type ConsoleGrant, type ConsumedTicket } from '../shared/console-tickets.service';
import type { ConsoleMetrics } from './console-metrics';
import { ConsoleSessions } from './console-sessions.service';
import { HostKeyRejectedError, openSshShell, type SshShell } from './ssh-connection';
import { isTrustedProxy, type TrustProxy } from '../../../shared/http/trust-proxy';

export interface ConsoleConnectionDeps {
  settings: ConsoleSettings;
  trustProxy: TrustProxy;
  tickets: ConsoleTickets;
  access: ConsoleAccess;
  audit: ConsoleAudit;
  sessions: ConsoleSessions;
  secretBox: SecretBox;
  metrics: ConsoleMetrics;
  logger: Logger;
}

/** Output waiting in the socket above this pauses the SSH channel; it resumes below the low mark. */
const OUTPUT_HIGH_WATER = 1024 * 1024;
const OUTPUT_LOW_WATER = 128 * 1024;
const MAX_TERMINAL_SIZE = 1000;
const MAX_TICKET_LENGTH = 200;

type Phase = 'awaiting_ticket' | 'connecting' | 'open' | 'ended';

type ClientMessage =
  | { type: 'auth'; ticket: string; cols?: number; rows?: number }
  | { type: 'input'; data: string }
  | { type: 'resize'; cols: number; rows: number };

/**
 * One browser console: the ticket, the checks, the SSH shell, the relay with backpressure both ways, the
 * idle timer, and the audit events. Every way it ends goes through `end`, once.
 */
export class ConsoleConnection {
  private phase: Phase = 'awaiting_ticket';
  private readonly sessionId = uuidv4();
  private grant: ConsoleGrant | null = null;
  private actor: ConsoleActor | null = null;
  private vpsId: string | null = null;
  private shell: SshShell | null = null;
  private auditedOpen = false;
  private bytesIn = 0;
  private bytesOut = 0;
  private cols = 80;
  private rows = 24;
  private pendingInput: Buffer[] = [];
  private pendingInputBytes = 0;
  private outputPaused = false;
  private exitStatus: number | null = null;
  private endReason = '';
  private readonly authTimer: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | null = null;
  private admitted = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly request: IncomingMessage,
    private readonly deps: ConsoleConnectionDeps,
  ) {
    // Listeners first, synchronously: the ticket may already be on its way.
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.end(CONSOLE_CLOSE.normal, 'closed by the browser', false));
    ws.on('error', () => this.end(CONSOLE_CLOSE.normal, 'browser connection failed', false));
    this.authTimer = setTimeout(
      () => this.end(CONSOLE_CLOSE.ticketInvalid, 'no ticket presented in time'),
      CONSOLE_AUTH_TIMEOUT_MS,
    );
    const origin = request.headers.origin;
    if (!origin || !deps.settings.allowedOrigins.includes(origin)) {
      this.end(CONSOLE_CLOSE.forbidden, `origin not allowed: ${origin ?? '(none)'}`);
      return;
    }
    this.admitted = deps.sessions.admitUnauthenticated();
    if (!this.admitted) {
      this.end(CONSOLE_CLOSE.tooManySessions, 'too many console connections waiting for a ticket');
    }
  }

  private leaveUnauthenticated(): void {
    if (!this.admitted) return;
    this.admitted = false;
    this.deps.sessions.leaveUnauthenticated();
  }

  // ---- browser → API ----

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.phase === 'ended') return;
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    if (size > CONSOLE_MAX_FRAME_BYTES) {
      return this.end(CONSOLE_CLOSE.frameTooLarge, `frame too large (max ${CONSOLE_MAX_FRAME_BYTES} bytes)`);
    }
    if (isBinary)
      return this.end(CONSOLE_CLOSE.badMessage, 'binary frames are not supported: send JSON text');
    const message = parseMessage(rawText(data));
    if (typeof message === 'string') {
      return this.end(
        this.phase === 'awaiting_ticket' ? CONSOLE_CLOSE.ticketInvalid : CONSOLE_CLOSE.badMessage,
        this.phase === 'awaiting_ticket' ? `no ticket: ${message}` : message,
      );
    }
    if (this.phase === 'awaiting_ticket') {
      if (message.type !== 'auth') {
        return this.end(
          CONSOLE_CLOSE.ticketInvalid,
          'no ticket: the first message must be {type:"auth",ticket}',
        );
      }
      void this.authenticate(message);
      return;
    }
    switch (message.type) {
      case 'auth':
        return this.end(CONSOLE_CLOSE.badMessage, 'already authenticated');
      case 'resize':
        this.touch();
        this.cols = message.cols;
        this.rows = message.rows;
        this.shell?.stream.setWindow(message.rows, message.cols, 0, 0);
        return;
      case 'input': {
        this.touch();
        const bytes = Buffer.from(message.data, 'utf8');
        if (this.phase === 'open') return this.write(bytes);
        // Typed before the shell was ready: kept (bounded) and sent once it is.
        this.pendingInputBytes += bytes.length;
        if (this.pendingInputBytes > CONSOLE_MAX_FRAME_BYTES) {
          return this.end(CONSOLE_CLOSE.frameTooLarge, 'too much input before the shell was ready');
        }
        this.pendingInput.push(bytes);
        return;
      }
    }
  }

  private write(bytes: Buffer): void {
    const stream = this.shell?.stream;
    if (!stream || bytes.length === 0) return;
    this.bytesIn += bytes.length;
    // The SSH window is full: stop reading the socket until the channel drains.
    if (!stream.write(bytes) && !this.ws.isPaused) {
      this.deps.metrics.inputPauses.inc();
      this.ws.pause();
      stream.once('drain', () => this.ws.resume());
    }
  }

  private touch(): void {
    this.idleTimer?.refresh();
  }

  // ---- ticket, checks, SSH ----

  private async authenticate(message: Extract<ClientMessage, { type: 'auth' }>): Promise<void> {
    this.phase = 'connecting';
    clearTimeout(this.authTimer);
    this.leaveUnauthenticated();
    if (message.cols !== undefined && message.rows !== undefined) {
      this.cols = message.cols;
      this.rows = message.rows;
    }
    let consumed: ConsumedTicket;
    try {
      consumed = await this.deps.tickets.consume(message.ticket);
    } catch (error) {
      this.deps.logger.error(`console ${this.sessionId}: ticket check failed: ${String(error)}`);
      return this.end(CONSOLE_CLOSE.internalError, 'the console could not be opened, try again');
    }
    if (this.ended) return;
    if (!consumed.ok) {
      const why = { unknown: 'ticket invalid', expired: 'ticket expired', reused: 'ticket already used' };
      return this.end(CONSOLE_CLOSE.ticketInvalid, why[consumed.reason]);
    }
    const grant = consumed.grant;
    this.grant = grant;
    this.vpsId = grant.vpsId;
    this.actor = {
      userId: grant.userId,
      platformRole: grant.platformRole,
      ip: this.clientIp(),
      userAgent: userAgentOf(this.request),
      ...(grant.impersonatorId ? { impersonatorId: grant.impersonatorId } : {}),
      ...(grant.apiKeyId ? { apiKeyId: grant.apiKeyId } : {}),
    };
    let stage: 'checks' | 'ssh' | 'audit' = 'checks';
    try {
      this.deps.sessions.register({
        sessionId: this.sessionId,
        userId: grant.userId,
        organizationId: grant.organizationId,
        vpsId: grant.vpsId,
        end: (code, reason) => this.end(code, reason),
      });
      const target = await this.deps.access.check(grant.userId, grant.organizationId, grant.vpsId);
      this.deps.sessions.follow(this.sessionId, target.checked);
      if (this.ended) return;
      this.vpsId = target.vpsId;
      const pinnedAlgorithm = await this.deps.audit.pinnedAlgorithm(target.vpsId);
      if (this.ended) return;
      const actor = this.actor;
      stage = 'ssh';
      const shell = await openSshShell({
        host: target.ipv4,
        port: this.deps.settings.sshPort,
        username: this.deps.settings.sshUsername,
        // Decrypted here, into the connect options only; never logged, never kept.
        password: this.deps.secretBox.decrypt(target.encryptedRootPassword, target.vpsId),
        pinnedAlgorithm,
        cols: this.cols,
        rows: this.rows,
        verifyHostKey: async (key) => {
          const check = await this.deps.audit.checkHostKey(target, key, actor, this.sessionId);
          return check.status === 'changed'
            ? `host key changed: pinned ${check.pinned}, presented ${key.algorithm} ${key.fingerprint}`
            : true;
        },
      });
      this.shell = shell;
      if (this.ended) return this.closeShell();
      this.watchShellEnd(shell);
      stage = 'audit';
      await this.deps.audit.opened(target.vpsId, this.sessionId, actor);
      this.auditedOpen = true;
      if (this.ended) return this.finishAudit();
      this.relay(shell);
    } catch (error) {
      if (error instanceof ConsoleRefusal) return this.end(error.code, error.reason);
      if (error instanceof HostKeyRejectedError) {
        return this.end(CONSOLE_CLOSE.hostKeyChanged, `${error.message}; no login attempted`);
      }
      if (stage === 'ssh') {
        return this.end(CONSOLE_CLOSE.sshFailed, `SSH connection failed: ${(error as Error).message}`);
      }
      // The checks or the audit could not be done (database down...): no unaudited session.
      this.deps.logger.error(`console ${this.sessionId}: ${String(error)}`);
      return this.end(CONSOLE_CLOSE.internalError, 'the console could not be opened, try again');
    }
  }

  /** Watched from the moment the shell exists, so an exit while the audit is written is not missed. */
  private watchShellEnd({ client, stream }: SshShell): void {
    stream.on('exit', (status: number | null) => {
      if (typeof status === 'number') this.exitStatus = status;
    });
    stream.on('close', () =>
      this.end(
        CONSOLE_CLOSE.normal,
        this.exitStatus === null ? 'shell closed' : `shell exited with status ${this.exitStatus}`,
      ),
    );
    client.on('close', () => this.end(CONSOLE_CLOSE.sshFailed, 'SSH connection lost'));
    client.on('error', (error) => this.end(CONSOLE_CLOSE.sshFailed, `SSH connection lost: ${error.message}`));
  }

  private relay({ stream }: SshShell): void {
    this.phase = 'open';
    const stdout = new StringDecoder('utf8');
    const stderr = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => this.output(chunk, stdout));
    stream.stderr.on('data', (chunk: Buffer) => this.output(chunk, stderr));
    this.idleTimer = setTimeout(
      () => this.end(CONSOLE_CLOSE.idle, `idle for ${this.deps.settings.idleTimeoutSeconds} s`),
      this.deps.settings.idleTimeoutSeconds * 1000,
    );
    this.send({ type: 'ready', sessionId: this.sessionId });
    stream.setWindow(this.rows, this.cols, 0, 0);
    const pending = this.pendingInput;
    this.pendingInput = [];
    for (const bytes of pending) this.write(bytes);
  }

  // ---- API → browser ----

  private output(chunk: Buffer, decoder: StringDecoder): void {
    if (this.phase !== 'open') return;
    this.bytesOut += chunk.length;
    const data = decoder.write(chunk);
    if (data.length === 0) return;
    this.send({ type: 'output', data });
    if (!this.outputPaused && this.ws.bufferedAmount > OUTPUT_HIGH_WATER) {
      this.outputPaused = true;
      this.deps.metrics.outputPauses.inc();
      this.shell?.stream.pause();
    }
  }

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(message), () => {
      // Called once the frame is handed to the kernel: the socket drained enough to read SSH again.
      if (this.outputPaused && this.ws.bufferedAmount < OUTPUT_LOW_WATER) {
        this.outputPaused = false;
        this.shell?.stream.resume();
      }
    });
  }

  // ---- the end ----

  private get ended(): boolean {
    return this.phase === 'ended';
  }

  /** Ends the console once: tells the browser why (unless it left), closes the socket and the SSH connection. */
  end(code: ConsoleCloseCode, reason: string, notify = true): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.deps.metrics.closes.inc({ code: String(code) });
    clearTimeout(this.authTimer);
    this.leaveUnauthenticated();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.endReason = reason;
    // Input may be paused (a full SSH channel): read again, or the browser's close frame is never seen.
    if (this.ws.isPaused) this.ws.resume();
    if (notify && this.ws.readyState === this.ws.OPEN) {
      this.send(code === CONSOLE_CLOSE.normal ? { type: 'closed', reason } : { type: 'error', code, reason });
      this.ws.close(code, closeReason(reason));
    } else if (this.ws.readyState === this.ws.CONNECTING || this.ws.readyState === this.ws.OPEN) {
      this.ws.terminate();
    }
    this.closeShell();
    if (this.grant) this.deps.sessions.release(this.sessionId);
    if (this.auditedOpen) this.finishAudit();
  }

  private closeShell(): void {
    const shell = this.shell;
    if (!shell) return;
    shell.stream.removeAllListeners('data');
    shell.client.end();
  }

  private finishAudit(): void {
    if (!this.auditedOpen || !this.vpsId || !this.actor) return;
    const vpsId = this.vpsId;
    this.auditedOpen = false;
    this.deps.audit
      .closed(vpsId, this.sessionId, this.actor, {
        reason: this.endReason.slice(0, 200) || 'closed',
        bytesIn: this.bytesIn,
        bytesOut: this.bytesOut,
      })
      .catch((error: unknown) =>
        this.deps.logger.error(`console ${this.sessionId}: could not record the close: ${String(error)}`),
      );
  }

  private clientIp(): string | null {
    const forwarded = this.request.headers['x-forwarded-for'];
    const peer = this.request.socket.remoteAddress ?? '';
    const trusted = isTrustedProxy(this.deps.trustProxy, peer);
    if (trusted && typeof forwarded === 'string' && forwarded.length > 0) {
      return forwarded.split(',')[0].trim().slice(0, 64);
    }
    return this.request.socket.remoteAddress?.slice(0, 64) ?? null;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function userAgentOf(request: IncomingMessage): string | null {
  const agent = request.headers['user-agent'];
  return typeof agent === 'string' && agent.length > 0 ? agent.slice(0, 256) : null;
}

const isTerminalSize = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TERMINAL_SIZE;

/** The message, or why it is not one. */
export function parseMessage(text: string): ClientMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'messages must be JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'messages must be JSON objects';
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'auth': {
      const { ticket, cols, rows } = message;
      if (typeof ticket !== 'string' || ticket.length === 0 || ticket.length > MAX_TICKET_LENGTH) {
        return 'auth needs a ticket';
      }
      if (cols === undefined && rows === undefined) return { type: 'auth', ticket };
      if (!isTerminalSize(cols) || !isTerminalSize(rows))
        return `cols and rows must be integers 1-${MAX_TERMINAL_SIZE}`;
      return { type: 'auth', ticket, cols, rows };
    }
    case 'input':
      return typeof message.data === 'string'
        ? { type: 'input', data: message.data }
        : 'input needs data (a string)';
    case 'resize':
      return isTerminalSize(message.cols) && isTerminalSize(message.rows)
        ? { type: 'resize', cols: message.cols, rows: message.rows }
        : `cols and rows must be integers 1-${MAX_TERMINAL_SIZE}`;
    default:
      return `unknown message type: ${String(message.type).slice(0, 20)}`;
  }
}
