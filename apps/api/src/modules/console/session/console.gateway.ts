/**
 * Browser SSH console — WebSocket protocol (path /api/console, JSON text frames only).
 *
 * 1. The page's server side asks for a ticket with its session token:
 *      POST /api/organizations/:orgId/vps/:vpsId/console-tickets  (JWT, vps_manage in :orgId)
 *      201 { ticket, expiresAt, websocketUrl }   404 unknown/other tenant's server   409 vps_not_active
 *    The ticket is random (256 bits), single use, valid 30 s, bound to the user and the server. It is kept
 *    hashed in PostgreSQL: any API instance opens the console with a ticket another one issued (no sticky
 *    routing). Never put a session token in the WebSocket URL; the ticket travels in the first message.
 *    `websocketUrl` is CONSOLE_WS_URL when set, else ws(s)://<Host of the ticket request>/api/console.
 * 2. The browser opens `websocketUrl` (ws(s)://<api>/api/console). Its Origin must be in
 *    CONSOLE_ALLOWED_ORIGINS (default http://localhost:3000), else the socket is closed with 4403.
 * 3. Client → server messages:
 *      {"type":"auth","ticket":"…","cols":120,"rows":40}   first message, within 10 s (cols/rows optional, 1-1000)
 *      {"type":"input","data":"ls -la\r"}                   keystrokes/paste, UTF-8 text
 *      {"type":"resize","cols":132,"rows":43}               terminal size (the shell sees SIGWINCH)
 *    Input and resizes sent before "ready" are applied once the shell is ready (at most 64 KiB of input).
 *    Binary frames are refused (4400).
 * 4. Server → client messages:
 *      {"type":"ready","sessionId":"…"}                     the shell is open
 *      {"type":"output","data":"…"}                         terminal output, UTF-8 text (ANSI included)
 *      {"type":"closed","reason":"shell exited with status 0"}   then close code 1000
 *      {"type":"error","code":4409,"reason":"…"}            then close with that code (the whole reason is here)
 *    Backpressure: while more than 1 MiB of output waits in the socket the shell's channel is paused (the
 *    server stops sending); while the SSH channel is full the API stops reading the socket.
 * 5. Close codes (the close frame carries the same reason, cut to 123 bytes):
 *      1000 shell exited / closed        1001 API shutting down      1011 internal error (try again)
 *      4400 malformed message (not JSON, unknown type, binary frame, second auth)
 *      4401 no ticket in time, or the ticket is invalid, expired or already used
 *      4403 Origin not allowed, or the user lacks (or lost) vps_manage / was removed from the organization
 *      4404 organization or server not found (other tenants' ids too)
 *      4408 idle: no input for CONSOLE_IDLE_TIMEOUT_SECONDS (default 900)
 *      4409 server not running (provisioning, suspended, deleting, deleted) — also when it gets suspended
 *      4413 frame larger than 64 KiB
 *      4429 too many sessions (CONSOLE_MAX_SESSIONS_PER_USER default 3, CONSOLE_MAX_SESSIONS default 100)
 *           or too many sockets waiting for their ticket (twice CONSOLE_MAX_SESSIONS)
 *      4495 the server's SSH host key differs from the one pinned on first use: no login attempted
 *      4502 SSH connection failed or lost
 *    Every refusal before step "ready" happens before any SSH connection, except 4495 and 4502.
 * The session ends within 2 s when the user is removed from the organization or loses vps_manage, or the
 * server is suspended or deleted (see ConsoleSessions). The SSH login is CONSOLE_SSH_USERNAME (root) with the
 * server's stored root password, on CONSOLE_SSH_PORT (22); the host key is pinned on first use
 * (ConsoleHostKeyPinned) and only that key type is offered afterwards. Sessions are audited on `console-<vpsId>` (ConsoleSessionOpened/Closed:
 * who, ip, user agent, duration, byte counts, and the API instance); keystrokes are never recorded. A graceful
 * shutdown closes the open sessions (1001, see ConsoleSessions); after a crash the instance's next start closes
 * those it left open (ConsoleSessionRecovery, reason api_restarted).
 */
import { Inject, Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { SecretBox } from '@stratus/infra';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { API_CONFIG, type ApiConfig } from '../../../shared/config/api-config';
import { VPS_SETTINGS, type VpsSettings } from '../../../shared/config/vps-settings';
import { ConsoleAccess } from '../shared/console-access.service';
import { ConsoleAudit } from '../shared/console-audit.service';
import { CONSOLE_SETTINGS, CONSOLE_WS_PATH, type ConsoleSettings } from '../shared/console-settings';
import { ConsoleTickets } from '../shared/console-tickets.service';
import { ConsoleConnection, type ConsoleConnectionDeps } from './console-connection';
import { ConsoleMetrics } from './console-metrics';
import { ConsoleSessions } from './console-sessions.service';

/** The ws library's own cap: far above the protocol's 64 KiB, so that the API answers 4413 itself. */
const WS_MAX_PAYLOAD = 1024 * 1024;

@WebSocketGateway({ path: CONSOLE_WS_PATH, maxPayload: WS_MAX_PAYLOAD })
export class ConsoleGateway implements OnGatewayConnection {
  private readonly deps: ConsoleConnectionDeps;

  constructor(
    @Inject(CONSOLE_SETTINGS) settings: ConsoleSettings,
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(VPS_SETTINGS) vpsSettings: VpsSettings,
    tickets: ConsoleTickets,
    access: ConsoleAccess,
    audit: ConsoleAudit,
    sessions: ConsoleSessions,
    metrics: ConsoleMetrics,
  ) {
    this.deps = {
      settings,
      trustProxy: config.http.trustProxy,
      tickets,
      access,
      audit,
      sessions,
      secretBox: new SecretBox(vpsSettings.secretsEncryptionKey),
      metrics,
      logger: new Logger('ConsoleGateway'),
    };
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    new ConsoleConnection(client, request, this.deps);
  }
}
