/**
 * Backups, snapshots, restores and the firewall of a server, whole: the API (projections running) and a Temporal
 * worker in this process share one database with the Linode simulator. A snapshot is taken and listed, a backup is
 * restored (the server unavailable meanwhile), and firewall rules are set at the provider and read back.
 */
import { PLATFORM_FIREWALL_LABEL, streams, vpsFirewallLabel } from '@stratus/domain';
import { TASK_QUEUE } from '@stratus/workflows';
import {
  eventually,
  TemporalHarness,
  TEST_KEY,
} from '../../../../workers/src/temporal/testing/temporal-harness';
import { signInAdmin, startTestApi, type HttpResult, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(240_000);

const harness = new TemporalHarness();
let api: TestApi;
let owner: { token: string; orgId: string; userId: string };
let planId: string;
let admin: { token: string; userId: string };

beforeAll(async () => {
  await harness.setUp();
  harness.taskQueue = TASK_QUEUE;
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
      vps: {
        linode: { apiUrl: harness.simulator.url, token: 'simulator-token' },
        secretsEncryptionKey: TEST_KEY,
        minBalanceHours: 1,
        billingPeriodSeconds: 3600,
        suspendGraceSeconds: 3600,
        provisioningRunningTimeoutSeconds: 30,
      },
    },
  });
  await harness.startWorker();
  const staff = await signInAdmin(api);
  admin = { token: staff.token, userId: staff.user.id };
  const plan = await api.request('POST', '/api/admin/plans', {
    token: admin.token,
    body: {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
  });
  expect(plan.status).toBe(201);
  planId = plan.body.id;
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email: 'backups@example.com', password: 'a-long-password-1', name: 'Backups' },
  });
  owner = {
    token: registered.body.token,
    orgId: registered.body.organization.id,
    userId: registered.body.user.id,
  };
  const credit = await api.request('POST', `/api/admin/organizations/${owner.orgId}/wallet/credits`, {
    token: admin.token,
    body: { amount: '50.00', reason: 'test funds' },
  });
  expect(credit.status).toBe(201);
});
afterAll(async () => {
  await api?.close();
  await harness.tearDown();
});

const path = (vpsId: string, rest = '') => `/api/organizations/${owner.orgId}/vps/${vpsId}${rest}`;
const get = (vpsId: string, rest = '') => api.request('GET', path(vpsId, rest), { token: owner.token });
const send = (method: 'POST' | 'PUT', vpsId: string, rest: string, body?: unknown) =>
  api.request(method, path(vpsId, rest), { token: owner.token, body });

const serverWhen = (vpsId: string, what: string, check: (res: HttpResult) => boolean) =>
  eventually(async () => {
    const res = await get(vpsId);
    return check(res) ? res : undefined;
  }, what);

async function activeServer(label: string, backups: boolean): Promise<string> {
  const created = await api.request('POST', `/api/organizations/${owner.orgId}/vps`, {
    token: owner.token,
    headers: { 'Idempotency-Key': `create-${label}` },
    body: {
      label,
      planId,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-42-Battery',
      backups,
    },
  });
  expect({ status: created.status, body: created.body }).toMatchObject({ status: 202 });
  const vpsId = created.body.id as string;
  await serverWhen(vpsId, `${label} active`, (res) => res.body.status === 'active');
  return vpsId;
}

/** The operation's end reached the read model. */
const finished = (vpsId: string, operationId: string) =>
  serverWhen(vpsId, `operation ${operationId} finished`, (res) => res.body.lastOperation?.id === operationId);

test('a snapshot taken and listed; a backup restored while the server is unavailable', async () => {
  const [vpsId, otherId, bareId] = await Promise.all([
    activeServer('backed-1', true),
    activeServer('backed-2', true),
    activeServer('bare-1', false),
  ]);

  // Backups as the provider has them: the automatic one, no snapshot yet.
  const listed = await get(vpsId, '/backups');
  expect({ status: listed.status, body: listed.body }).toEqual({
    status: 200,
    body: {
      backupsEnabled: true,
      automatic: [
        {
          id: expect.stringMatching(/^\d+$/),
          type: 'auto',
          label: null,
          status: 'successful',
          created: expect.any(String),
          finished: expect.any(String),
          available: true,
        },
      ],
      snapshot: { current: null, inProgress: null },
    },
  });
  const automaticId = listed.body.automatic[0].id as string;

  // A server without backups: an empty list that says so; snapshots and restores refused.
  expect((await get(bareId, '/backups')).body).toEqual({
    backupsEnabled: false,
    automatic: [],
    snapshot: { current: null, inProgress: null },
  });
  const refusedSnapshot = await send('POST', bareId, '/snapshots', { label: 'nope' });
  expect({ status: refusedSnapshot.status, error: refusedSnapshot.body.error }).toEqual({
    status: 409,
    error: 'backups_not_enabled',
  });

  // Bad input: 400, nothing recorded.
  for (const body of [{}, { label: '' }, { label: 'x'.repeat(300) }, { label: 7 }]) {
    const bad = await send('POST', vpsId, '/snapshots', body);
    expect({ status: bad.status, body }).toMatchObject({ status: 400 });
  }

  // The snapshot: an operation, then listed as the current snapshot.
  const snapshot = await send('POST', vpsId, '/snapshots', { label: 'before-upgrade' });
  expect({ status: snapshot.status, body: snapshot.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'snapshot', label: 'before-upgrade' }, workflowId: expect.any(String) },
  });
  const snapshotDone = await finished(vpsId, snapshot.body.operation.id);
  expect(snapshotDone.body.lastOperation).toMatchObject({ kind: 'snapshot', outcome: 'completed' });
  const withSnapshot = await get(vpsId, '/backups');
  expect(withSnapshot.body.snapshot).toEqual({
    current: expect.objectContaining({ type: 'snapshot', label: 'before-upgrade', status: 'successful' }),
    inProgress: null,
  });
  const snapshotId = withSnapshot.body.snapshot.current.id as string;

  // Restore: confirmation required; only this server's backups.
  for (const body of [undefined, {}, { confirm: false }, { confirm: 'yes' }]) {
    const unconfirmed = await send('POST', vpsId, `/backups/${snapshotId}/restore`, body);
    expect({ status: unconfirmed.status, body }).toMatchObject({ status: 400 });
  }
  const otherBackup = (await get(otherId, '/backups')).body.automatic[0].id as string;
  for (const backupId of [otherBackup, '999999999', 'not-a-backup']) {
    const foreign = await send('POST', vpsId, `/backups/${backupId}/restore`, { confirm: true });
    expect({ status: foreign.status, error: foreign.body.error, backupId }).toEqual({
      status: 404,
      error: 'backup_not_found',
      backupId,
    });
  }

  // Held at the provider (its restore requests time out and are retried) until the fault is cleared: meanwhile the
  // server shows the restore, refuses power actions and the console with a 409, and another operation.
  await harness.fault({ operation: 'restoreBackup', mode: 'timeout' });
  const restore = await send('POST', vpsId, `/backups/${snapshotId}/restore`, { confirm: true });
  expect({ status: restore.status, body: restore.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'restore', backupId: snapshotId } },
  });
  const restoring = await api.request('GET', path(vpsId), {
    token: owner.token,
    headers: { 'X-Min-Position': restore.body.position },
  });
  expect(restoring.body.operation).toMatchObject({ id: restore.body.operation.id, kind: 'restore' });
  const power = await send('POST', vpsId, '/actions', { action: 'reboot' });
  expect({ status: power.status, error: power.body.error, operation: power.body.details?.operation }).toEqual(
    {
      status: 409,
      error: 'operation_in_progress',
      operation: 'restore',
    },
  );
  const ticket = await send('POST', vpsId, '/console-tickets');
  expect({ status: ticket.status, error: ticket.body.error }).toEqual({
    status: 409,
    error: 'vps_not_active',
  });
  expect(ticket.body.message).toMatch(/restored/);
  const another = await send('POST', vpsId, '/snapshots', { label: 'meanwhile' });
  expect({ status: another.status, error: another.body.error }).toEqual({
    status: 409,
    error: 'operation_in_progress',
  });
  await harness.clearFaults();
  const restored = await finished(vpsId, restore.body.operation.id);
  expect(restored.body).toMatchObject({
    status: 'active',
    operation: null,
    lastOperation: { kind: 'restore', outcome: 'completed', reason: null },
  });
  const [instance] = harness.simulator.state
    .liveInstances()
    .filter((candidate) => candidate.linode.tags.includes(`vps:${vpsId}`));
  expect(instance.restoredBackups).toEqual([Number(snapshotId)]);
  // Back to running: the workflow booted the restored server.
  expect(instance.linode.status).toBe('running');
  expect(automaticId).not.toBe(snapshotId);

  // The audit trail names the customer for each request and the system for each outcome.
  const events = await api.eventStore.readStream(streams.vps(vpsId));
  const operations = events.filter((e) => e.type.startsWith('VpsOperation'));
  expect(
    operations.map((e) => [
      e.type,
      (e.data as { operation: { kind: string } }).operation.kind,
      e.metadata.actor.userId,
    ]),
  ).toEqual([
    ['VpsOperationStarted', 'snapshot', owner.userId],
    ['VpsOperationCompleted', 'snapshot', 'system'],
    ['VpsOperationStarted', 'restore', owner.userId],
    ['VpsOperationCompleted', 'restore', 'system'],
  ]);
});

test('firewall rules: validated, set at the provider through a firewall found again by its label, read back', async () => {
  const vpsId = await activeServer('walled-1', false);
  expect((await get(vpsId, '/firewall')).body).toEqual({
    source: 'default',
    defaultInbound: 'ACCEPT',
    inbound: [],
    pending: null,
  });

  const bad: unknown[] = [
    {},
    { defaultInbound: 'REJECT', inbound: [] },
    { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', ports: '0-22', addresses: ['0.0.0.0/0'] }] },
    { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', ports: '22', addresses: ['10.0.0.0/40'] }] },
    { defaultInbound: 'DROP', inbound: [{ protocol: 'ICMP', ports: '22', addresses: ['::/0'] }] },
    { defaultInbound: 'DROP', inbound: [{ protocol: 'GRE', addresses: ['::/0'] }] },
    { defaultInbound: 'DROP', inbound: 'all' },
    {
      defaultInbound: 'DROP',
      inbound: Array.from({ length: 26 }, () => ({ protocol: 'ICMP', addresses: ['::/0'] })),
    },
  ];
  for (const body of bad) {
    const refused = await send('PUT', vpsId, '/firewall', body);
    expect({ status: refused.status, body }).toMatchObject({ status: 400 });
  }
  const detail = await send('PUT', vpsId, '/firewall', {
    defaultInbound: 'DROP',
    inbound: [{ protocol: 'TCP', ports: '22', addresses: ['0.0.0.0/33'] }],
  });
  expect(detail.body).toMatchObject({
    error: 'invalid_firewall_rules',
    details: { field: 'inbound[0].addresses[0]' },
  });
  expect((await get(vpsId)).body.operation).toBeNull();

  const sshOnly = {
    defaultInbound: 'DROP',
    inbound: [
      { protocol: 'TCP', ports: '22, 443', addresses: ['203.0.113.0/24', '2001:db8::/32'] },
      { protocol: 'ICMP', addresses: ['0.0.0.0/0'] },
    ],
  };
  const set = await send('PUT', vpsId, '/firewall', sshOnly);
  expect({ status: set.status, body: set.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'firewall', firewall: { defaultInbound: 'DROP' } } },
  });
  await finished(vpsId, set.body.operation.id);
  const effective = {
    defaultInbound: 'DROP',
    inbound: [
      { protocol: 'TCP', ports: '22,443', addresses: ['203.0.113.0/24', '2001:db8::/32'] },
      { protocol: 'ICMP', ports: null, addresses: ['0.0.0.0/0'] },
    ],
  };
  expect((await get(vpsId, '/firewall')).body).toEqual({ source: 'server', ...effective, pending: null });
  const firewalls = () =>
    harness.simulator.state.allFirewalls().filter((f) => f.firewall.label === vpsFirewallLabel(vpsId));
  const [firewall] = firewalls();
  const [instance] = harness.simulator.state
    .liveInstances()
    .filter((candidate) => candidate.linode.tags.includes(`vps:${vpsId}`));
  expect(firewall.linodes).toEqual([instance.linode.id]);
  expect(firewall.firewall.rules).toMatchObject({
    inbound_policy: 'DROP',
    inbound: [
      { action: 'ACCEPT', protocol: 'TCP', ports: '22,443' },
      { action: 'ACCEPT', protocol: 'ICMP' },
    ],
  });

  // A second change replaces the rules of the same firewall.
  const open = {
    defaultInbound: 'ACCEPT',
    inbound: [{ protocol: 'UDP', ports: '53', addresses: ['198.51.100.7'] }],
  };
  const changed = await send('PUT', vpsId, '/firewall', open);
  expect(changed.status).toBe(202);
  await finished(vpsId, changed.body.operation.id);
  expect((await get(vpsId, '/firewall')).body).toMatchObject({
    source: 'server',
    defaultInbound: 'ACCEPT',
    inbound: [{ protocol: 'UDP', ports: '53', addresses: ['198.51.100.7/32'] }],
  });
  expect(firewalls()).toHaveLength(1);
  expect(firewalls()[0].firewall.rules.inbound).toEqual([
    expect.objectContaining({ action: 'DROP', protocol: 'UDP', ports: '53' }),
  ]);
});

test("the staff's default policy: new servers are created behind it; a server with rules of its own leaves it", async () => {
  const before = await api.request('GET', '/api/admin/firewall-policy', { token: admin.token });
  expect(before.body).toEqual({
    set: false,
    defaultInbound: 'ACCEPT',
    inbound: [],
    updatedBy: null,
    updatedAt: null,
  });
  const invalid = await api.request('PUT', '/api/admin/firewall-policy', {
    token: admin.token,
    body: { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', ports: '22-', addresses: ['0.0.0.0/0'] }] },
  });
  expect({ status: invalid.status, error: invalid.body.error }).toEqual({
    status: 400,
    error: 'invalid_firewall_rules',
  });
  const policy = {
    defaultInbound: 'DROP',
    inbound: [{ protocol: 'TCP', ports: '22', addresses: ['0.0.0.0/0', '::/0'] }],
  };
  const set = await api.request('PUT', '/api/admin/firewall-policy', { token: admin.token, body: policy });
  expect({ status: set.status, body: set.body }).toMatchObject({
    status: 200,
    body: { defaultInbound: 'DROP' },
  });
  const platform = () =>
    harness.simulator.state.allFirewalls().find((f) => f.firewall.label === PLATFORM_FIREWALL_LABEL)!;
  expect(platform().firewall.rules).toMatchObject({
    inbound_policy: 'DROP',
    inbound: [{ action: 'ACCEPT', protocol: 'TCP', ports: '22' }],
  });
  const shown = await api.request('GET', '/api/admin/firewall-policy', {
    token: admin.token,
    headers: { 'X-Min-Position': set.body.position },
  });
  expect(shown.body).toMatchObject({ set: true, defaultInbound: 'DROP', updatedBy: admin.userId });
  const audit = await api.eventStore.readStream(streams.firewallPolicy());
  expect(audit.map((e) => [e.type, e.metadata.actor.userId])).toEqual([['FirewallPolicySet', admin.userId]]);

  // A new server is created behind the platform's firewall and shows the default as its rules.
  const vpsId = await activeServer('defaulted-1', false);
  const instanceId = () =>
    harness.simulator.state.liveInstances().find((c) => c.linode.tags.includes(`vps:${vpsId}`))!.linode.id;
  expect(platform().linodes).toContain(instanceId());
  expect((await get(vpsId, '/firewall')).body).toEqual({
    source: 'default',
    defaultInbound: 'DROP',
    inbound: [{ protocol: 'TCP', ports: '22', addresses: ['0.0.0.0/0', '::/0'] }],
    pending: null,
  });

  // Staff change the policy: the servers behind the platform's firewall follow at once.
  const widened = {
    defaultInbound: 'DROP',
    inbound: [...policy.inbound, { protocol: 'TCP', ports: '80,443', addresses: ['0.0.0.0/0'] }],
  };
  expect(
    (await api.request('PUT', '/api/admin/firewall-policy', { token: admin.token, body: widened })).status,
  ).toBe(200);
  expect(platform().firewall.rules.inbound).toHaveLength(2);

  // Rules of its own: behind its own firewall, no longer behind the platform's.
  const own = await send('PUT', vpsId, '/firewall', { defaultInbound: 'ACCEPT', inbound: [] });
  expect(own.status).toBe(202);
  await finished(vpsId, own.body.operation.id);
  const ownFirewall = harness.simulator.state
    .allFirewalls()
    .find((f) => f.firewall.label === vpsFirewallLabel(vpsId))!;
  expect(ownFirewall.linodes).toEqual([instanceId()]);
  expect(platform().linodes).not.toContain(instanceId());
  expect((await get(vpsId, '/firewall')).body).toMatchObject({ source: 'server', defaultInbound: 'ACCEPT' });
});
