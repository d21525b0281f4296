import { consoleDecider, streams, vpsDecider, type ConsoleEvent, type VpsCommand } from '@stratus/domain';
import { SecretBox } from '@stratus/infra';
import { v4 as uuidv4 } from 'uuid';
import { Client } from 'pg';
import WebSocket from 'ws';
import type { Clock } from '../../shared/event-sourcing/tokens';
import { CommandExecutor } from '@stratus/eventstore';
import { CommandContext } from '../../shared/request-context/command-context';
import { createApiApp } from '../../app.factory';
import { startTestApi, type TestApi } from '../../testing/api-test-app';
import { CONSOLE_SETTINGS, type ConsoleSettings } from './shared/console-settings';
import { startOpenSshServer, type OpenSshServer } from './testing/openssh-server';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

jest.setTimeout(120_000);

const SECRET_KEY = SecretBox.generateKey();
const ROOT_PASSWORD = `Root-${uuidv4()}`;
const ORIGIN = 'http://portal.stratus.test';

let sshd: OpenSshServer;
let api: TestApi;
/** The API's clock runs this far ahead of real time (to expire tickets without waiting). */
let clockOffsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + clockOffsetMs) };

interface Member {
  token: string;
  userId: string;
  orgId: string;
  email: string;
}

let n = 0;
async function register(): Promise<Member> {
  const email = `console${++n}@example.com`;
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: `User ${n}` },
  });
  expect(res.status).toBe(201);
  return { token: res.body.token, userId: res.body.user.id, orgId: res.body.organization.id, email };
}

/** A user of `owner`'s organization with this role (their own organization is ignored). */
async function memberOf(owner: Member, role: string): Promise<Member> {
  const user = await register();
  await joinByInvitation(api, owner.orgId, owner.token, user, role);
  return { ...user, orgId: owner.orgId };
}

async function runVps(vpsId: string, body: Omit<VpsCommand, 'metadata'>): Promise<void> {
  await api.app.get(CommandExecutor).execute({
    streamId: streams.vps(vpsId),
    decider: vpsDecider,
    context: CommandContext.system(`test-${vpsId}`),
    command: (_state, metadata) => ({ ...body, metadata }) as VpsCommand,
  });
}

/** An active server at 127.0.0.1 whose stored root password is the sshd user's password. */
async function activeServer(organizationId: string): Promise<string> {
  const vpsId = uuidv4();
  await runVps(vpsId, {
    type: 'RequestVps',
    data: {
      vpsId,
      organizationId,
      label: 'console-1',
      planId: 'plan-test',
      providerPlanId: 'g6-nanode-1',
      region: 'us-east',
      image: 'linode/debian12',
      backups: false,
      sshKeyIds: [],
      authorizedKeys: [],
      encryptedRootPassword: new SecretBox(SECRET_KEY).encrypt(ROOT_PASSWORD, vpsId),
      hourlyPrice: 8219n,
      monthlyPrice: 6_000_000n,
      idempotencyKey: vpsId,
      workflowId: `provision-${vpsId}`,
    },
  } as Omit<VpsCommand, 'metadata'>);
  await runVps(vpsId, {
    type: 'ActivateVps',
    data: {
      providerInstanceId: `inst-${vpsId}`,
      ipv4: '127.0.0.1',
      billingWorkflowId: `billing-${vpsId}`,
      billedUntil: '2026-01-01T01:00:00.000Z',
    },
  } as Omit<VpsCommand, 'metadata'>);
  return vpsId;
}

const suspend = (vpsId: string) =>
  runVps(vpsId, { type: 'SuspendVps', data: { debt: 1000n } } as Omit<VpsCommand, 'metadata'>);

async function ticketFor(who: Member, vpsId: string, orgId = who.orgId) {
  return api.request('POST', `/api/organizations/${orgId}/vps/${vpsId}/console-tickets`, {
    token: who.token,
  });
}

async function ticket(who: Member, vpsId: string): Promise<string> {
  const res = await ticketFor(who, vpsId);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.ticket;
}

interface Closed {
  code: number;
  reason: string;
}

/** A browser-like console client: collects messages and the output, and how the socket closed. */
class ConsoleClient {
  readonly messages: Record<string, unknown>[] = [];
  output = '';
  /** The output's last characters, and how many '#' it held (for floods too big to search). */
  tail = '';
  hashes = 0;
  private keepOutput = true;
  closedWith: Closed | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(message);
      if (message.type === 'output') {
        const data = message.data as string;
        if (this.keepOutput) this.output += data;
        this.tail = (this.tail + data).slice(-200);
        for (let i = data.indexOf('#'); i !== -1; i = data.indexOf('#', i + 1)) this.hashes++;
      }
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.notify();
    });
  }

  static open(origin = ORIGIN, apiUrl = api.url): Promise<ConsoleClient> {
    const ws = new WebSocket(`${apiUrl.replace('http', 'ws')}/api/console`, {
      origin,
      headers: { 'user-agent': 'console-test/1.0' },
    });
    const client = new ConsoleClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  static async connect(
    ticketValue: string,
    size = { cols: 100, rows: 30 },
    apiUrl = api.url,
  ): Promise<ConsoleClient> {
    const client = await ConsoleClient.open(ORIGIN, apiUrl);
    client.send({ type: 'auth', ticket: ticketValue, ...size });
    await client.until(() => client.messages.some((m) => m.type === 'ready') || client.closedWith !== null);
    if (client.closedWith) throw new Error(`console closed: ${JSON.stringify(client.closedWith)}`);
    return client;
  }

  /** Stop accumulating `output` (floods); `tail` and `hashes` still follow. */
  dropOutput(): void {
    this.keepOutput = false;
    this.output = '';
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Resolves once the condition holds (checked on every message and on close), or fails at the deadline. */
  until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `condition not met in ${timeoutMs} ms; output: ${JSON.stringify(this.output.slice(-500))}; closed: ${JSON.stringify(this.closedWith)}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  async closed(timeoutMs = 15_000): Promise<Closed> {
    await this.until(() => this.closedWith !== null, timeoutMs);
    return this.closedWith!;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

async function consoleEvents(vpsId: string): Promise<ConsoleEvent[]> {
  const events = await api.eventStore.readStream(streams.console(vpsId));
  return events.map((e) => ({ type: e.type, data: e.data }) as ConsoleEvent);
}

/** Waits for the event (appended after the socket closed), polling with a deadline. */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A value from the API's /metrics (0 when the series has no sample yet). */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

async function metricReaches(name: string, atLeast: number, timeoutMs = 20_000): Promise<number> {
  return eventually(
    () => metric(name),
    (value) => value >= atLeast,
    timeoutMs,
  );
}

let alice: Member;
let bob: Member;
let server: string;

beforeAll(async () => {
  sshd = await startOpenSshServer(ROOT_PASSWORD);
  api = await startTestApi({
    configOverrides: {
      vps: { secretsEncryptionKey: SECRET_KEY },
      console: {
        allowedOrigins: [ORIGIN],
        sshPort: sshd.port,
        sshUsername: sshd.username,
        maxSessionsPerUser: 2,
      },
    },
    overrides: { clock },
  });
  [alice, bob] = await Promise.all([register(), register()]);
  server = await activeServer(alice.orgId);
});

afterAll(async () => {
  await api?.close();
  await sshd?.close();
});

describe('a console session', () => {
  test('runs a command through the WebSocket, follows resizes, pins the host key and audits the session', async () => {
    const res = await ticketFor(alice, server);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
      websocketUrl: `${api.url.replace('http', 'ws')}/api/console`,
    });
    const expiresIn = Date.parse(res.body.expiresAt) - clock.now().getTime();
    expect(expiresIn).toBeGreaterThan(25_000);
    expect(expiresIn).toBeLessThanOrEqual(30_000);

    const logins = sshd.logins();
    const client = await ConsoleClient.connect(res.body.ticket, { cols: 100, rows: 30 });
    expect(sshd.logins()).toBe(logins + 1);
    client.send({ type: 'input', data: 'stty size; echo "MARK-$((6*7))"\r' });
    await client.until(() => client.output.includes('30 100') && client.output.includes('MARK-42'));

    client.send({ type: 'resize', cols: 132, rows: 43 });
    client.send({ type: 'input', data: 'stty size\r' });
    await client.until(() => client.output.includes('43 132'));

    client.send({ type: 'input', data: 'exit 0\r' });
    expect(await client.closed()).toEqual({ code: 1000, reason: 'shell exited with status 0' });
    expect(client.messages.at(-1)).toEqual({ type: 'closed', reason: 'shell exited with status 0' });

    const events = await eventually(
      () => consoleEvents(server),
      (e) => e.some((x) => x.type === 'ConsoleSessionClosed'),
    );
    const ready = client.messages.find((m) => m.type === 'ready')!;
    expect(events.map((e) => e.type)).toEqual([
      'ConsoleHostKeyPinned',
      'ConsoleSessionOpened',
      'ConsoleSessionClosed',
    ]);
    expect(events[0].data).toEqual({
      vpsId: server,
      organizationId: alice.orgId,
      algorithm: 'ssh-ed25519',
      fingerprint: sshd.hostKeyFingerprint,
    });
    expect(events[1].data).toEqual({
      sessionId: ready.sessionId,
      vpsId: server,
      organizationId: alice.orgId,
      userId: alice.userId,
      ip: expect.stringMatching(/127\.0\.0\.1$/),
      userAgent: 'console-test/1.0',
      openedAt: expect.any(String),
      instanceId: api.app.get<ConsoleSettings>(CONSOLE_SETTINGS).instanceId,
    });
    expect(events[2].data).toEqual({
      sessionId: ready.sessionId,
      vpsId: server,
      reason: 'shell exited with status 0',
      durationSeconds: expect.any(Number),
      bytesIn: Buffer.byteLength('stty size; echo "MARK-$((6*7))"\rstty size\rexit 0\r'),
      bytesOut: expect.any(Number),
    });
    expect((events[2].data as { bytesOut: number }).bytesOut).toBeGreaterThan(20);
    // Keystrokes and the password are never recorded.
    const stored = JSON.stringify(
      (await api.eventStore.readStream(streams.console(server))).map((e) => [e.data, e.metadata]),
    );
    expect(stored).not.toContain('MARK');
    expect(stored).not.toContain(ROOT_PASSWORD);
  });

  test('a second session trusts the pinned key without pinning again', async () => {
    const client = await ConsoleClient.connect(await ticket(alice, server));
    client.ws.close(1000);
    const events = await eventually(
      () => consoleEvents(server),
      (e) => e.filter((x) => x.type === 'ConsoleSessionClosed').length >= 2,
    );
    expect(events.filter((e) => e.type === 'ConsoleHostKeyPinned')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'ConsoleSessionClosed',
      data: { reason: 'closed by the browser' },
    });
  });

  test('an idle session is closed after CONSOLE_IDLE_TIMEOUT_SECONDS', async () => {
    const settings = api.app.get<ConsoleSettings>(CONSOLE_SETTINGS);
    const idle = settings.idleTimeoutSeconds;
    settings.idleTimeoutSeconds = 1;
    try {
      const client = await ConsoleClient.connect(await ticket(alice, server));
      expect(await client.closed()).toEqual({ code: 4408, reason: 'idle for 1 s' });
    } finally {
      settings.idleTimeoutSeconds = idle;
    }
  });
});

describe('backpressure', () => {
  test('output: a browser that stops reading pauses the shell; everything arrives, in order, once it reads again', async () => {
    const client = await ConsoleClient.connect(await ticket(alice, server));
    client.dropOutput();
    const pauses = await metric('stratus_console_output_pauses_total');
    client.ws.pause();
    // 16 MB of '#' (written as \043 so that the echoed command holds none): more than the kernel's socket
    // buffers, so the API's own buffer passes its high-water mark and the shell is paused.
    client.send({
      type: 'input',
      data: `head -c 16000000 /dev/zero | tr '\\0' "$(printf '\\043')"; echo; echo FLOOD-$((40+2))\r`,
    });
    expect(await metricReaches('stratus_console_output_pauses_total', pauses + 1)).toBeGreaterThan(pauses);
    client.ws.resume();
    await client.until(() => client.tail.includes('FLOOD-42'), 60_000);
    expect(client.hashes).toBe(16_000_000);
    client.ws.close(1000);
    await client.closed();
  });

  test('input: a shell that does not read pauses the browser’s input; the session still ends on revocation', async () => {
    const henry = await memberOf(alice, 'member');
    const client = await ConsoleClient.connect(await ticket(henry, server));
    const pauses = await metric('stratus_console_input_pauses_total');
    client.send({ type: 'input', data: 'stty raw -echo; sleep 120\r' });
    // Nobody reads the raw terminal: the pty buffer, sshd's channel window (2 MiB) and ssh2's buffer (2 MiB)
    // fill up, then the API stops reading the browser's socket.
    const chunk = 'z'.repeat(60 * 1024);
    for (let i = 0; i < 100; i++) client.send({ type: 'input', data: chunk });
    expect(await metricReaches('stratus_console_input_pauses_total', pauses + 1)).toBeGreaterThan(pauses);
    const removed = await api.request('DELETE', `/api/organizations/${alice.orgId}/members/${henry.userId}`, {
      token: alice.token,
    });
    expect(removed.status).toBe(200);
    expect((await client.closed(2_000)).code).toBe(4403);
  });
});

describe('refusals close the socket with a reason and open no SSH connection', () => {
  /** Runs the refusal, checks the close, and that sshd saw no new connection. */
  async function refused(run: () => Promise<ConsoleClient>, code: number, reason: string | RegExp) {
    const connections = sshd.connections();
    const client = await run();
    const closed = await client.closed();
    expect(closed.code).toBe(code);
    if (typeof reason === 'string') expect(closed.reason).toBe(reason);
    else expect(closed.reason).toMatch(reason);
    expect(client.messages.at(-1)).toEqual({ type: 'error', code, reason: closed.reason });
    expect(sshd.connections()).toBe(connections);
    return closed;
  }

  const openAndSend = async (message: unknown) => {
    const client = await ConsoleClient.open();
    client.send(message);
    return client;
  };

  test('no ticket: a first message that is not auth', async () => {
    await refused(
      () => openAndSend({ type: 'input', data: 'ls\r' }),
      4401,
      'no ticket: the first message must be {type:"auth",ticket}',
    );
    await refused(() => openAndSend({ type: 'auth' }), 4401, 'no ticket: auth needs a ticket');
    await refused(() => openAndSend({ type: 'auth', ticket: 'made-up' }), 4401, 'ticket invalid');
  });

  test('expired ticket', async () => {
    const value = await ticket(alice, server);
    clockOffsetMs = 31_000;
    try {
      await refused(() => openAndSend({ type: 'auth', ticket: value }), 4401, 'ticket expired');
    } finally {
      clockOffsetMs = 0;
    }
  });

  test('reused ticket', async () => {
    const value = await ticket(alice, server);
    const first = await ConsoleClient.connect(value);
    await refused(() => openAndSend({ type: 'auth', ticket: value }), 4401, 'ticket already used');
    first.ws.close(1000);
    await first.closed();
  });

  test("another tenant's server: no ticket (404)", async () => {
    const viaOwnOrg = await ticketFor(bob, server);
    expect({ status: viaOwnOrg.status, error: viaOwnOrg.body.error }).toEqual({
      status: 404,
      error: 'vps_not_found',
    });
    const viaTheirOrg = await ticketFor(bob, server, alice.orgId);
    expect({ status: viaTheirOrg.status, error: viaTheirOrg.body.error }).toEqual({
      status: 404,
      error: 'not_found',
    });
    const unknown = await ticketFor(alice, uuidv4());
    expect(unknown.status).toBe(404);
  });

  test('removed from the organization between the ticket and the socket (4404)', async () => {
    const dave = await memberOf(alice, 'member');
    const value = await ticket(dave, server);
    const removed = await api.request('DELETE', `/api/organizations/${alice.orgId}/members/${dave.userId}`, {
      token: alice.token,
    });
    expect(removed.status).toBe(200);
    await refused(() => openAndSend({ type: 'auth', ticket: value }), 4404, 'organization not found');
  });

  test('missing permission: a viewer gets no ticket (403); a role downgraded after the ticket is 4403', async () => {
    const viewer = await memberOf(alice, 'viewer');
    const res = await ticketFor(viewer, server);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 403, error: 'forbidden' });

    const erin = await memberOf(alice, 'vps_manager');
    const value = await ticket(erin, server);
    const changed = await api.request('PATCH', `/api/organizations/${alice.orgId}/members/${erin.userId}`, {
      token: alice.token,
      body: { role: 'viewer' },
    });
    expect(changed.status).toBe(200);
    await refused(
      () => openAndSend({ type: 'auth', ticket: value }),
      4403,
      'your role (viewer) lacks the vps_manage permission',
    );
  });

  test('bad Origin (and none)', async () => {
    await refused(
      () => ConsoleClient.open('https://evil.example'),
      4403,
      'origin not allowed: https://evil.example',
    );
    const value = await ticket(alice, server);
    await refused(
      async () => {
        const client = await ConsoleClient.open('http://localhost:3000');
        client.send({ type: 'auth', ticket: value });
        return client;
      },
      4403,
      'origin not allowed: http://localhost:3000',
    );
  });

  test('suspended server: no ticket (409); suspended after the ticket is 4409', async () => {
    const other = await activeServer(alice.orgId);
    const value = await ticket(alice, other);
    await suspend(other);
    const res = await ticketFor(alice, other);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 409,
      body: {
        error: 'vps_not_active',
        message: 'The console needs a running server: the server not running: it is suspended (unpaid)',
        details: { vpsId: other },
      },
    });
    await refused(
      () => openAndSend({ type: 'auth', ticket: value }),
      4409,
      'server not running: it is suspended (unpaid)',
    );
  });

  test('changed host key: refused before any login', async () => {
    const other = await activeServer(alice.orgId);
    const fake = `SHA256:${'A'.repeat(43)}`;
    await api.app.get(CommandExecutor).execute({
      streamId: streams.console(other),
      decider: consoleDecider,
      context: CommandContext.system('test-pin'),
      command: (_state, metadata) => ({
        type: 'PinConsoleHostKey' as const,
        data: { vpsId: other, organizationId: alice.orgId, algorithm: 'ssh-ed25519', fingerprint: fake },
        metadata,
      }),
    });
    const logins = sshd.logins();
    const value = await ticket(alice, other);
    const client = await openAndSend({ type: 'auth', ticket: value });
    const closed = await client.closed();
    expect(closed.code).toBe(4495);
    expect(closed.reason).toMatch(/^host key changed: pinned ssh-ed25519 SHA256:A{43}, presented/);
    const error = client.messages.at(-1)!;
    expect(error.reason).toBe(
      `host key changed: pinned ssh-ed25519 ${fake}, presented ssh-ed25519 ${sshd.hostKeyFingerprint}; no login attempted`,
    );
    expect(sshd.logins()).toBe(logins);
    expect((await consoleEvents(other)).map((e) => e.type)).toEqual(['ConsoleHostKeyPinned']);
  });

  test('oversized frame (64 KiB) and binary frames', async () => {
    await refused(
      () => openAndSend({ type: 'auth', ticket: 'x'.repeat(70 * 1024) }),
      4413,
      'frame too large (max 65536 bytes)',
    );
    await refused(
      async () => {
        const client = await ConsoleClient.open();
        client.ws.send(Buffer.from([1, 2, 3]));
        return client;
      },
      4400,
      'binary frames are not supported: send JSON text',
    );
  });

  test('too many sessions for one user (4429)', async () => {
    const first = await ConsoleClient.connect(await ticket(alice, server));
    const second = await ConsoleClient.connect(await ticket(alice, server));
    const value = await ticket(alice, server);
    await refused(
      () => openAndSend({ type: 'auth', ticket: value }),
      4429,
      'too many console sessions open (max 2 per user)',
    );
    first.ws.close(1000);
    second.ws.close(1000);
    await Promise.all([first.closed(), second.closed()]);
  });

  test('too many sockets waiting for a ticket (twice CONSOLE_MAX_SESSIONS) are refused with 4429', async () => {
    const settings = api.app.get<ConsoleSettings>(CONSOLE_SETTINGS);
    const max = settings.maxSessions;
    settings.maxSessions = 1;
    const waiting: ConsoleClient[] = [];
    try {
      waiting.push(await ConsoleClient.open(), await ConsoleClient.open());
      await refused(() => ConsoleClient.open(), 4429, 'too many console connections waiting for a ticket');
    } finally {
      settings.maxSessions = max;
      for (const client of waiting) client.ws.close(1000);
      await Promise.all(waiting.map((client) => client.closed()));
    }
    // Their slots are free again.
    const value = await ticket(alice, server);
    const client = await ConsoleClient.connect(value);
    client.ws.close(1000);
    await client.closed();
  });

  test('an oversized frame on an open session ends it', async () => {
    const client = await ConsoleClient.connect(await ticket(alice, server));
    client.send({ type: 'input', data: 'y'.repeat(65 * 1024) });
    expect(await client.closed()).toEqual({ code: 4413, reason: 'frame too large (max 65536 bytes)' });
  });
});

describe('revocation', () => {
  /** Closed within 2 s of the change (a deadline, polled by the client's own events). */
  async function closesWithin2s(client: ConsoleClient, change: () => Promise<void>): Promise<Closed> {
    await change();
    return client.closed(2_000);
  }

  test('removing the member closes the open session within 2 s', async () => {
    const frank = await memberOf(alice, 'member');
    const client = await ConsoleClient.connect(await ticket(frank, server));
    const closed = await closesWithin2s(client, async () => {
      const res = await api.request('DELETE', `/api/organizations/${alice.orgId}/members/${frank.userId}`, {
        token: alice.token,
      });
      expect(res.status).toBe(200);
    });
    expect(closed).toEqual({
      code: 4403,
      reason: 'session ended: you are no longer a member of the organization',
    });
  });

  test('losing vps_manage closes the open session within 2 s', async () => {
    const grace = await memberOf(alice, 'vps_manager');
    const client = await ConsoleClient.connect(await ticket(grace, server));
    const closed = await closesWithin2s(client, async () => {
      const res = await api.request('PATCH', `/api/organizations/${alice.orgId}/members/${grace.userId}`, {
        token: alice.token,
        body: { role: 'viewer' },
      });
      expect(res.status).toBe(200);
    });
    expect(closed).toEqual({
      code: 4403,
      reason: 'session ended: your role (viewer) lacks the vps_manage permission',
    });
  });

  test('a custom role losing vps_manage closes its holders’ sessions within 2 s', async () => {
    const role = await api.request('POST', `/api/organizations/${alice.orgId}/roles`, {
      token: alice.token,
      body: { name: 'Console operators', permissions: ['vps_view', 'vps_manage'] },
    });
    expect(role.status).toBe(201);
    const roleId = role.body.role.roleId as string;
    const judy = await memberOf(alice, roleId);
    const client = await ConsoleClient.connect(await ticket(judy, server));
    const closed = await closesWithin2s(client, async () => {
      const res = await api.request('PATCH', `/api/organizations/${alice.orgId}/roles/${roleId}`, {
        token: alice.token,
        body: { permissions: ['vps_view'] },
      });
      expect(res.status).toBe(200);
    });
    expect(closed).toEqual({
      code: 4403,
      reason: 'session ended: your role (Console operators) no longer has the vps_manage permission',
    });
  });

  test('revocation does not wait for the all-stream: a transaction holding the xmin back delays the subscription, not the close', async () => {
    const ivan = await memberOf(alice, 'member');
    const client = await ConsoleClient.connect(await ticket(ivan, server));
    const holder = new Client({ connectionString: api.db.url });
    await holder.connect();
    try {
      // An open transaction with an id: events committed after it stay invisible to readAll/subscriptions.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const closed = await closesWithin2s(client, async () => {
        const res = await api.request('DELETE', `/api/organizations/${alice.orgId}/members/${ivan.userId}`, {
          token: alice.token,
        });
        expect(res.status).toBe(200);
      });
      expect(closed).toEqual({
        code: 4403,
        reason: 'session ended: you are no longer a member of the organization',
      });
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  test('suspending the server closes its sessions within 2 s', async () => {
    const other = await activeServer(alice.orgId);
    const client = await ConsoleClient.connect(await ticket(alice, other));
    const closed = await closesWithin2s(client, () => suspend(other));
    expect(closed).toEqual({ code: 4409, reason: 'session ended: the server was suspended' });
    const events = await eventually(
      () => consoleEvents(other),
      (e) => e.some((x) => x.type === 'ConsoleSessionClosed'),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'ConsoleSessionClosed',
      data: { reason: 'session ended: the server was suspended' },
    });
  });
});

describe('several API instances', () => {
  test('a ticket issued by one instance opens the console on another, once in all', async () => {
    const second = await createApiApp(api.config, { logger: ['error'], seedAdmin: false });
    try {
      await second.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
      const value = await ticket(alice, server);
      const client = await ConsoleClient.connect(value, undefined, url);
      const again = await ConsoleClient.open(ORIGIN, url);
      again.send({ type: 'auth', ticket: value });
      expect(await again.closed()).toEqual({ code: 4401, reason: 'ticket already used' });
      const onFirst = await ConsoleClient.open();
      onFirst.send({ type: 'auth', ticket: value });
      expect(await onFirst.closed()).toEqual({ code: 4401, reason: 'ticket already used' });
      client.ws.close(1000);
      await client.closed();
    } finally {
      await second.close();
    }
  });
});

describe('shutdown', () => {
  test('a graceful shutdown of the API ends its sessions (1001) and records their close before it exits', async () => {
    const other = await activeServer(alice.orgId);
    // A second API instance over the same database, shut down while a session is open on it.
    const second = await createApiApp(api.config, { logger: ['error'], seedAdmin: false });
    let running = true;
    try {
      await second.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
      const res = await fetch(`${url}/api/organizations/${alice.orgId}/vps/${other}/console-tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(res.status).toBe(201);
      const { ticket: secondTicket } = (await res.json()) as { ticket: string };
      const client = await ConsoleClient.connect(secondTicket, undefined, url);
      running = false;
      await second.close();
      expect(await client.closed()).toEqual({ code: 1001, reason: 'the API is shutting down' });
      // Recorded before close() returned: no waiting here.
      const events = await consoleEvents(other);
      expect(events.map((e) => e.type)).toEqual([
        'ConsoleHostKeyPinned',
        'ConsoleSessionOpened',
        'ConsoleSessionClosed',
      ]);
      expect(events[2].data).toMatchObject({ reason: 'the API is shutting down' });
    } finally {
      if (running) await second.close();
    }
  });
});
