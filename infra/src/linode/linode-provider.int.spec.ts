import { isProviderError, ProviderError } from '@stratus/domain';
import {
  LinodeSimulator,
  SimulatorExchange,
  startLinodeSimulator,
} from '../linode-simulator/linode-simulator';
import { loadLinodeSpecValidator, LinodeSpecValidator } from '../linode-simulator/openapi-validator';
import { LinodeProvider, LinodeProviderOptions } from './linode-provider';

const TOKEN = 'adapter-token';
let spec: LinodeSpecValidator;
let sim: LinodeSimulator;
let exchanges: SimulatorExchange[];

beforeAll(async () => {
  spec = await loadLinodeSpecValidator();
});
beforeEach(async () => {
  exchanges = [];
  sim = await startLinodeSimulator({
    port: 0,
    token: TOKEN,
    delays: { provisioningMs: 0, bootingMs: 0 },
    observe: (exchange) => exchanges.push(exchange),
  });
});
afterEach(async () => {
  await sim.close();
  // Every request the adapter sent, and every answer it got, conforms to Linode's spec.
  const problems = exchanges.flatMap((exchange) => {
    const full = `${exchange.path}${exchange.query.size > 0 ? `?${exchange.query.toString()}` : ''}`;
    const headers = Object.fromEntries(
      Object.entries(exchange.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    return [
      ...spec.validateRequest(exchange.method, full, exchange.requestBody, headers).errors,
      ...spec.validateResponse(exchange.method, exchange.path, exchange.status, exchange.responseBody).errors,
    ].map((error) => `${exchange.method} ${full} → ${error}`);
  });
  expect(problems).toEqual([]);
});

const provider = (options: Partial<LinodeProviderOptions> = {}) =>
  new LinodeProvider({ baseUrl: sim.url, token: TOKEN, retryBaseMs: 5, timeoutMs: 2000, ...options });

const request = (label: string, tags = ['stratus', `vps:${label}`]) => ({
  label,
  region: 'eu-west',
  type: 'g6-standard-1',
  image: 'linode/ubuntu24.04',
  rootPassword: 'a-long-root-password-1',
  authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG stratus'],
  backupsEnabled: true,
  tags,
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!isProviderError(outcome)) throw new Error(`expected a ProviderError, got ${String(outcome)}`);
  return outcome;
}

async function eventually<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  deadlineMs = 5000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let value = await read();
  while (!holds(value)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met before the deadline; last: ${JSON.stringify(value)}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    value = await read();
  }
  return value;
}

describe('LinodeProvider', () => {
  it('creates, reads, powers and deletes an instance in domain terms', async () => {
    const linode = provider();
    const created = await linode.createInstance(request('web-1'));
    expect(created).toMatchObject({
      label: 'web-1',
      status: 'provisioning',
      region: 'eu-west',
      type: 'g6-standard-1',
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const sent = sim.state.find(Number(created.id))!;
    expect(sent.rootPass).toBe('a-long-root-password-1');
    expect(sent.linode.backups.enabled).toBe(true);
    const running = await eventually(
      () => linode.getInstance(created.id),
      (instance) => instance?.status === 'running',
    );
    expect(running!.ipv4).toEqual([expect.stringMatching(/^192\.0\.2\.\d+$/)]);
    await linode.shutdown(created.id);
    await eventually(
      () => linode.getInstance(created.id),
      (instance) => instance?.status === 'offline',
    );
    await linode.boot(created.id);
    await eventually(
      () => linode.getInstance(created.id),
      (instance) => instance?.status === 'running',
    );
    await linode.reboot(created.id);
    await linode.deleteInstance(created.id);
    expect(await linode.getInstance(created.id)).toBeNull();
    await linode.deleteInstance(created.id); // missing = success
    expect((await failure(linode.boot(created.id))).kind).toBe('not_found');
  });

  it('renames an instance and sets, then resets, the reverse DNS of its address', async () => {
    const linode = provider();
    const created = await linode.createInstance(request('label-1'));
    await linode.updateInstanceLabel(created.id, 'label-2');
    expect((await linode.getInstance(created.id))?.label).toBe('label-2');
    await linode.updateInstanceLabel(created.id, 'label-2');

    const [address] = created.ipv4;
    const rdns = () => sim.state.ipRecord(sim.state.findByAddress(address)!, address).rdns;
    await linode.setReverseDns(address, 'mail.example.com');
    expect(rdns()).toBe('mail.example.com');
    await linode.setReverseDns(address, null);
    expect(rdns()).toMatch(/\.ip\.linodeusercontent\.com$/);

    const refused = await failure(linode.setReverseDns(address, 'mail.example.invalid'));
    expect(refused).toMatchObject({ kind: 'final', details: { status: 400, reasons: [{ field: 'rdns' }] } });
    expect((await failure(linode.updateInstanceLabel('99999', 'label-3'))).kind).toBe('not_found');
    expect((await failure(linode.setReverseDns('198.51.100.250', 'a.example.com'))).kind).toBe('not_found');
  });

  // ---- backups and firewall (issue 15) ----
  it('lists backups, takes a snapshot that replaces the previous one, and restores a backup', async () => {
    const linode = provider();
    const created = await linode.createInstance(request('backed-1'));
    await eventually(
      () => linode.getInstance(created.id),
      (instance) => instance?.status === 'running',
    );
    const before = await linode.listBackups(created.id);
    expect(before).toEqual({
      automatic: [
        expect.objectContaining({ type: 'auto', status: 'successful', available: true, label: null }),
      ],
      snapshot: { current: null, inProgress: null },
    });
    const first = await linode.createSnapshot(created.id, 'before-upgrade');
    expect(first).toMatchObject({ type: 'snapshot', label: 'before-upgrade' });
    const taken = await eventually(
      () => linode.listBackups(created.id),
      (backups) => backups.snapshot.current?.id === first.id,
    );
    expect(taken.snapshot.current).toMatchObject({ status: 'successful', available: true });
    expect(taken.snapshot.current!.finished).toMatch(/Z$/);
    const second = await linode.createSnapshot(created.id, 'after-upgrade');
    const replaced = await eventually(
      () => linode.listBackups(created.id),
      (backups) => backups.snapshot.current?.id === second.id,
    );
    expect(replaced.snapshot.current?.label).toBe('after-upgrade');

    await linode.restoreBackup(created.id, before.automatic[0].id);
    expect(sim.state.find(Number(created.id))!.restoredBackups).toEqual([Number(before.automatic[0].id)]);
    await eventually(
      () => linode.getInstance(created.id),
      (instance) => instance?.status === 'offline',
    );
    // Another instance's backup, an unknown one: not found.
    expect((await failure(linode.restoreBackup(created.id, '1'))).kind).toBe('not_found');

    // Without the backup service the provider refuses.
    const bare = await linode.createInstance({ ...request('bare-1'), backupsEnabled: false });
    expect((await failure(linode.listBackups(bare.id))).kind).toBe('final');
    expect((await failure(linode.createSnapshot(bare.id, 'x'))).kind).toBe('final');
  });

  it('creates a firewall with its rules and device, finds it by label and replaces its rules', async () => {
    const linode = provider();
    const created = await linode.createInstance(request('walled-1'));
    expect(await linode.findFirewallByLabel('vps-walled')).toBeNull();
    const rules = {
      defaultInbound: 'DROP' as const,
      inbound: [
        { protocol: 'TCP' as const, ports: '22,8000-8100', addresses: ['203.0.113.0/24', '2001:db8::/32'] },
        { protocol: 'ICMP' as const, ports: null, addresses: ['0.0.0.0/0'] },
      ],
    };
    const firewall = await linode.createFirewall({
      label: 'vps-walled',
      tags: ['stratus', 'vps:walled'],
      rules,
      instanceIds: [created.id],
    });
    expect(firewall).toEqual({ id: expect.stringMatching(/^\d+$/), label: 'vps-walled', rules });
    const stored = sim.state.findFirewall(Number(firewall.id))!;
    expect(stored.linodes).toEqual([Number(created.id)]);
    expect(stored.firewall.rules).toMatchObject({
      inbound_policy: 'DROP',
      outbound_policy: 'ACCEPT',
      inbound: [
        { action: 'ACCEPT', protocol: 'TCP', ports: '22,8000-8100' },
        { action: 'ACCEPT', protocol: 'ICMP' },
      ],
    });
    expect(await linode.findFirewallByLabel('vps-walled')).toEqual(firewall);
    const open = {
      defaultInbound: 'ACCEPT' as const,
      inbound: [{ protocol: 'UDP' as const, ports: '53', addresses: ['198.51.100.0/24'] }],
    };
    await linode.setFirewallRules(firewall.id, open);
    expect((await linode.findFirewallByLabel('vps-walled'))?.rules).toEqual(open);
    expect(sim.state.findFirewall(Number(firewall.id))!.firewall.rules.inbound[0].action).toBe('DROP');
    // The same label twice: refused (a retried create must find the first instead).
    expect(
      (await failure(linode.createFirewall({ label: 'vps-walled', tags: [], rules, instanceIds: [] }))).kind,
    ).toBe('final');
    expect((await failure(linode.setFirewallRules('424242', open))).kind).toBe('not_found');
  });

  it('lists types with exact 6-decimal monthly prices, regions and images', async () => {
    const linode = provider();
    const types = await linode.listTypes();
    expect(types.find((type) => type.id === 'g6-nanode-1')).toEqual({
      id: 'g6-nanode-1',
      label: 'Nanode 1GB',
      vcpus: 1,
      memoryMb: 1024,
      diskMb: 25600,
      transferGb: 1000,
      monthlyPrice: '5.000000',
    });
    expect(types.find((type) => type.id === 'g6-standard-2')!.monthlyPrice).toBe('24.000000');
    expect(await linode.listRegions()).toContainEqual({
      id: 'us-east',
      label: 'Newark, NJ',
      country: 'us',
      status: 'ok',
    });
    expect(await linode.listImages()).toContainEqual({
      id: 'linode/debian12',
      label: 'Debian 12',
      vendor: 'Debian',
      deprecated: false,
    });
  });

  it('follows pages and finds by tag and by label', async () => {
    const linode = provider({ pageSize: 25 });
    for (let index = 0; index < 28; index++)
      await linode.createInstance(request(`node-${index}`, ['stratus', `vps:${index}`]));
    expect(await linode.findInstancesByTag('stratus')).toHaveLength(28);
    const listCalls = exchanges.filter((exchange) => exchange.operation === 'listInstances');
    expect(listCalls.map((exchange) => exchange.query.get('page'))).toEqual(['1', '2']);
    expect((await linode.findInstancesByTag('vps:27')).map((instance) => instance.label)).toEqual([
      'node-27',
    ]);
    expect((await linode.findInstanceByLabel('node-13'))?.tags).toEqual(['stratus', 'vps:13']);
    expect(await linode.findInstanceByLabel('node-99')).toBeNull();
    expect(await linode.findInstancesByTag('nothing')).toEqual([]);
  });

  it('retries a 429 after Retry-After and then succeeds', async () => {
    sim.state.addFault({ operation: 'listRegions', mode: 'rateLimit', count: 1 });
    const started = Date.now();
    expect((await provider().listRegions()).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // Retry-After: 1
    expect(exchanges.map((exchange) => exchange.status)).toEqual([429, 200]);
  });

  it('gives up on 500s after maxRetries with a retryable error', async () => {
    sim.state.addFault({ operation: 'getInstance', mode: 'error' });
    const error = await failure(provider({ maxRetries: 2 }).getInstance('123'));
    expect(error).toMatchObject({ kind: 'retryable', details: { status: 500 } });
    expect(exchanges).toHaveLength(3);
  });

  it('does not repeat a create after a 500 (it may have happened), but does after a 429', async () => {
    sim.state.addFault({ operation: 'createInstance', mode: 'error', count: 1 });
    expect((await failure(provider().createInstance(request('once-1')))).kind).toBe('retryable');
    expect(exchanges).toHaveLength(1);
    sim.state.addFault({ operation: 'createInstance', mode: 'rateLimit', count: 1, retryAfterSeconds: 0 });
    expect((await provider().createInstance(request('once-1'))).label).toBe('once-1');
  });

  it('maps 400 to a final error carrying Linode reasons, and 401 to final', async () => {
    const linode = provider();
    await linode.createInstance(request('taken-1'));
    const error = await failure(linode.createInstance(request('taken-1')));
    expect(error.kind).toBe('final');
    expect(error.details.reasons).toEqual([
      { field: 'label', reason: 'Label must be unique among your linodes' },
    ]);
    expect(error.message).toMatch(/Label must be unique/);
    expect((await failure(provider({ token: 'wrong' }).listTypes())).kind).toBe('final');
  });

  it('turns a timeout into a retryable error within the deadline', async () => {
    sim.state.addFault({ operation: 'listImages', mode: 'timeout' });
    const started = Date.now();
    const error = await failure(provider({ timeoutMs: 150, maxRetries: 1 }).listImages());
    expect(error.kind).toBe('retryable');
    expect(error.message).toMatch(/no answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sim.state.listFaults()[0].fired).toBe(2);
  });

  it('turns a refused connection into a retryable error', async () => {
    const closed = provider({ baseUrl: 'http://127.0.0.1:9/v4', maxRetries: 0 });
    expect((await failure(closed.listTypes())).kind).toBe('retryable');
  });
});
