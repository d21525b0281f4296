import { LinodeSimulator, SimulatorExchange, startLinodeSimulator } from './linode-simulator';
import { answersOutsideSpec, loadLinodeSpecValidator, LinodeSpecValidator } from './openapi-validator';

// Answers are checked field by field below (and against the spec after each test).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const TOKEN = 'test-token';
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
  // Every answer the simulator gave in the test conforms to Linode's spec.
  const problems = answersOutsideSpec(spec, exchanges);
  await sim.close();
  expect(problems).toEqual([]);
});

const root = () => sim.url.replace(/\/v4$/, '');

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${root()}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const createBody = (label: string, extra: Record<string, unknown> = {}) => ({
  label,
  region: 'us-east',
  type: 'g6-nanode-1',
  image: 'linode/debian12',
  root_pass: 'correct-horse-9',
  tags: ['stratus', `vps:${label}`],
  ...extra,
});

/** Polls until the condition holds or the deadline passes (then fails with the last value). */
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

describe('Linode API shapes', () => {
  it('serves instances, types, regions and images as the spec describes them', async () => {
    const created = await api(
      'POST',
      '/linode/instances',
      createBody('web-1', { authorized_keys: ['ssh-ed25519 AAAAC3Nza test'] }),
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      label: 'web-1',
      status: 'provisioning',
      region: 'us-east',
      image: 'linode/debian12',
    });
    expect(created.body.ipv4[0]).toMatch(/^192\.0\.2\.\d+$/);
    const id = created.body.id as number;
    expect((await api('GET', `/linode/instances/${id}`)).body.label).toBe('web-1');
    const list = await api('GET', '/linode/instances');
    expect(list.body).toMatchObject({ page: 1, pages: 1, results: 1 });
    for (const action of ['shutdown', 'boot', 'reboot']) {
      await eventually(
        () => api('GET', `/linode/instances/${id}`),
        (answer) => ['running', 'offline'].includes(answer.body.status),
      );
      expect((await api('POST', `/linode/instances/${id}/${action}`)).status).toBe(200);
    }
    const types = await api('GET', '/linode/types');
    expect(types.body.data.map((type: { id: string }) => type.id)).toEqual(
      expect.arrayContaining(['g6-nanode-1', 'g6-standard-1', 'g6-standard-2']),
    );
    expect(types.body.data.find((type: { id: string }) => type.id === 'g6-nanode-1').price).toEqual({
      hourly: 0.0075,
      monthly: 5,
    });
    expect((await api('GET', '/regions')).body.data.map((region: { id: string }) => region.id)).toEqual(
      expect.arrayContaining(['us-east', 'eu-west', 'ap-south']),
    );
    expect((await api('GET', '/images')).body.data.map((image: { id: string }) => image.id)).toEqual(
      expect.arrayContaining(['linode/debian12', 'linode/ubuntu24.04']),
    );
    expect((await api('DELETE', `/linode/instances/${id}`)).body).toEqual({});
    expect((await api('GET', `/linode/instances/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/linode/instances/${id}`)).status).toBe(404);
  });

  it('answers without a valid bearer token with 401 in Linode error shape', async () => {
    const response = await fetch(`${sim.url}/linode/instances`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ reason: 'Invalid Token' }] });
  });

  it('validates create bodies and keeps labels unique, with Linode field errors', async () => {
    const missing = await api('POST', '/linode/instances', { label: 'ok-label' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'region',
      'type',
    ]);
    const wrong = await api(
      'POST',
      '/linode/instances',
      createBody('9bad', { region: 'mars-1', type: 'g0-huge' }),
    );
    expect(wrong.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'label',
      'region',
      'type',
    ]);
    expect((await api('POST', '/linode/instances', createBody('dup-1'))).status).toBe(200);
    const duplicate = await api('POST', '/linode/instances', createBody('dup-1'));
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors).toEqual([
      { field: 'label', reason: 'Label must be unique among your linodes' },
    ]);
    const badJson = await fetch(`${sim.url}/linode/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: '{nope',
    });
    expect(badJson.status).toBe(400);
    expect((await api('GET', '/linode/instances?page_size=5')).status).toBe(400);
  });

  it('pages lists and filters on label and tags', async () => {
    for (let index = 0; index < 27; index++)
      await api('POST', '/linode/instances', createBody(`node-${index}`));
    const second = await api('GET', '/linode/instances?page=2&page_size=25');
    expect(second.body).toMatchObject({ page: 2, pages: 2, results: 27 });
    expect(second.body.data).toHaveLength(2);
    const byTag = await api('GET', '/linode/instances', undefined, {
      'X-Filter': JSON.stringify({ tags: 'vps:node-3' }),
    });
    expect(byTag.body.data.map((linode: { label: string }) => linode.label)).toEqual(['node-3']);
    const byLabel = await api('GET', '/linode/instances', undefined, {
      'X-Filter': JSON.stringify({ label: 'node-26' }),
    });
    expect(byLabel.body.results).toBe(1);
  });
});

describe('updates: label, reverse DNS', () => {
  it('renames an instance under the label rules (unique among live instances, its own label allowed)', async () => {
    const first = await api('POST', '/linode/instances', createBody('rename-a'));
    await api('POST', '/linode/instances', createBody('rename-b'));
    const renamed = await api('PUT', `/linode/instances/${first.body.id}`, { label: 'rename-c' });
    expect(renamed).toMatchObject({ status: 200, body: { id: first.body.id, label: 'rename-c' } });
    expect((await api('GET', `/linode/instances/${first.body.id}`)).body.label).toBe('rename-c');
    expect(await api('PUT', `/linode/instances/${first.body.id}`, { label: 'rename-c' })).toMatchObject({
      status: 200,
    });

    const taken = await api('PUT', `/linode/instances/${first.body.id}`, { label: 'Rename-B' });
    expect(taken).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'label', reason: 'Label must be unique among your linodes' }] },
    });
    expect((await api('PUT', `/linode/instances/${first.body.id}`, { label: 'a--b' })).status).toBe(400);
    expect((await api('PUT', `/linode/instances/${first.body.id}`, { colour: 'red' })).status).toBe(400);
    expect((await api('PUT', '/linode/instances/99999', { label: 'rename-d' })).status).toBe(404);
  });

  it('describes an instance address and sets its reverse DNS; null gives the default back', async () => {
    const created = await api('POST', '/linode/instances', createBody('rdns-a'));
    const address = created.body.ipv4[0] as string;
    const fallback = `${address.replace(/\./g, '-')}.ip.linodeusercontent.com`;
    expect(await api('GET', `/networking/ips/${address}`)).toMatchObject({
      status: 200,
      body: {
        address,
        linode_id: created.body.id,
        rdns: fallback,
        type: 'ipv4',
        public: true,
        region: 'us-east',
      },
    });
    const set = await api('PUT', `/networking/ips/${address}`, { rdns: 'Mail.Example.com' });
    expect(set).toMatchObject({ status: 200, body: { address, rdns: 'mail.example.com' } });
    expect((await api('GET', `/networking/ips/${address}`)).body.rdns).toBe('mail.example.com');
    expect((await api('PUT', `/networking/ips/${address}`, { rdns: null })).body.rdns).toBe(fallback);

    // Forward DNS must point at the address: the simulator's stand-in is a name that can never resolve.
    const unresolvable = await api('PUT', `/networking/ips/${address}`, { rdns: 'mail.example.invalid' });
    expect(unresolvable).toMatchObject({ status: 400, body: { errors: [{ field: 'rdns' }] } });
    expect((await api('PUT', `/networking/ips/${address}`, { rdns: 'not a name' })).status).toBe(400);
    expect((await api('PUT', `/networking/ips/${address}`, {})).status).toBe(400);
    expect((await api('PUT', '/networking/ips/198.51.100.250', { rdns: 'a.example.com' })).status).toBe(404);
    await api('DELETE', `/linode/instances/${created.body.id}`);
    expect((await api('GET', `/networking/ips/${address}`)).status).toBe(404);
  });

  it('injects faults into the new operations like the others', async () => {
    const created = await api('POST', '/linode/instances', createBody('rdns-fault'));
    const address = created.body.ipv4[0] as string;
    await control('POST', '/__sim/faults', { operation: 'updateIp', mode: 'error', count: 1 });
    await control('POST', '/__sim/faults', { operation: 'updateInstance', mode: 'rateLimit', count: 1 });
    expect((await api('PUT', `/networking/ips/${address}`, { rdns: 'a.example.com' })).status).toBe(500);
    expect((await api('PUT', `/networking/ips/${address}`, { rdns: 'a.example.com' })).status).toBe(200);
    expect((await api('PUT', `/linode/instances/${created.body.id}`, { label: 'rdns-fault-2' })).status).toBe(
      429,
    );
    expect((await api('PUT', `/linode/instances/${created.body.id}`, { label: 'rdns-fault-2' })).status).toBe(
      200,
    );
  });
});

// ---- rebuild, resize, backups (issue 15) ----
describe('rebuild, resize, backups', () => {
  const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq1t1dTYbSw8Hn4nBvPZ6ZHkqfY2dJk8Xc1oW3lQhA1 me@laptop';

  it('rebuilds with a new image, password and keys (a new host key generation): rebuilding, then running', async () => {
    await sim.close();
    sim = await startLinodeSimulator({
      port: 0,
      token: TOKEN,
      delays: { provisioningMs: 0, bootingMs: 300 },
      observe: (exchange) => exchanges.push(exchange),
    });
    const created = await api('POST', '/linode/instances', createBody('rebuild-a'));
    const id = created.body.id as number;
    await eventually(
      () => api('GET', `/linode/instances/${id}`),
      (res) => res.body.status === 'running',
    );
    const rebuilt = await api('POST', `/linode/instances/${id}/rebuild`, {
      image: 'linode/debian11',
      root_pass: 'another-horse-9',
      authorized_keys: [KEY],
    });
    expect(rebuilt).toMatchObject({
      status: 200,
      body: { id, image: 'linode/debian11', status: 'rebuilding' },
    });
    // Busy while it rebuilds.
    expect((await api('POST', `/linode/instances/${id}/resize`, { type: 'g6-standard-1' })).body).toEqual({
      errors: [{ reason: 'Linode busy.' }],
    });
    await eventually(
      () => api('GET', `/linode/instances/${id}`),
      (res) => res.body.status === 'running',
    );
    const [view] = (await control('GET', '/__sim/instances')).body.data;
    expect(view).toMatchObject({ authorized_keys: [KEY], host_key_generation: 1 });

    // Linode's rules: image and root_pass required, keys well formed, no unknown field.
    const refusals = [
      [{ root_pass: 'another-horse-9' }, 'image'],
      [{ image: 'linode/debian11' }, 'root_pass'],
      [{ image: 'linode/nope', root_pass: 'another-horse-9' }, 'image'],
      [{ image: 'linode/debian11', root_pass: 'short' }, 'root_pass'],
      [
        { image: 'linode/debian11', root_pass: 'another-horse-9', authorized_keys: ['nope'] },
        'authorized_keys[0]',
      ],
      [{ image: 'linode/debian11', root_pass: 'another-horse-9', stackscript_id: 1 }, 'stackscript_id'],
    ] as const;
    for (const [body, field] of refusals) {
      expect(await api('POST', `/linode/instances/${id}/rebuild`, body)).toMatchObject({
        status: 400,
        body: { errors: [{ field }] },
      });
    }
    expect((await api('POST', '/linode/instances/99999/rebuild', refusals[0][0])).status).toBe(404);
  });

  it('resizes to a larger type (specs follow); the same type and a smaller disk are refused', async () => {
    const created = await api('POST', '/linode/instances', createBody('resize-a'));
    const id = created.body.id as number;
    expect(await api('POST', `/linode/instances/${id}/resize`, { type: 'g6-standard-1' })).toEqual(
      expect.objectContaining({ status: 200, body: {} }),
    );
    expect((await api('GET', `/linode/instances/${id}`)).body).toMatchObject({
      type: 'g6-standard-1',
      specs: { disk: 51200, memory: 2048 },
      status: 'running',
    });
    const same = await api('POST', `/linode/instances/${id}/resize`, { type: 'g6-standard-1' });
    expect(same).toMatchObject({ status: 400, body: { errors: [{ field: 'type' }] } });
    const smaller = await api('POST', `/linode/instances/${id}/resize`, { type: 'g6-nanode-1' });
    expect(smaller).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'type', reason: expect.stringMatching(/disk size/) }] },
    });
    expect((await api('POST', `/linode/instances/${id}/resize`, {})).status).toBe(400);
    expect((await api('POST', `/linode/instances/${id}/resize`, { type: 'g6-nope' })).status).toBe(400);
  });

  it('enables and cancels backups; faults are injected like the others', async () => {
    const created = await api('POST', '/linode/instances', createBody('backups-a'));
    const id = created.body.id as number;
    expect(await api('POST', `/linode/instances/${id}/backups/enable`)).toMatchObject({
      status: 200,
      body: {},
    });
    expect((await api('GET', `/linode/instances/${id}`)).body.backups.enabled).toBe(true);
    expect(await api('POST', `/linode/instances/${id}/backups/cancel`)).toMatchObject({
      status: 200,
      body: {},
    });
    expect((await api('GET', `/linode/instances/${id}`)).body.backups.enabled).toBe(false);
    expect((await api('POST', '/linode/instances/99999/backups/enable')).status).toBe(404);

    for (const operation of ['rebuild', 'resize', 'enableBackups', 'cancelBackups'])
      await control('POST', '/__sim/faults', { operation, mode: 'error', count: 1 });
    const rebuild = { image: 'linode/debian11', root_pass: 'another-horse-9' };
    expect((await api('POST', `/linode/instances/${id}/rebuild`, rebuild)).status).toBe(500);
    expect((await api('POST', `/linode/instances/${id}/resize`, { type: 'g6-standard-1' })).status).toBe(500);
    expect((await api('POST', `/linode/instances/${id}/backups/enable`)).status).toBe(500);
    expect((await api('POST', `/linode/instances/${id}/backups/cancel`)).status).toBe(500);
    expect((await api('POST', `/linode/instances/${id}/backups/enable`)).status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('moves provisioning → booting → running with the configured delays and has an IPv4', async () => {
    await sim.close();
    sim = await startLinodeSimulator({
      port: 0,
      token: TOKEN,
      delays: { provisioningMs: 150, bootingMs: 150 },
      observe: (exchange) => exchanges.push(exchange),
    });
    const created = await api('POST', '/linode/instances', createBody('slow-1'));
    const seen = new Set<string>();
    const running = await eventually(
      () => api('GET', `/linode/instances/${created.body.id}`),
      (answer) => {
        seen.add(answer.body.status);
        return answer.body.status === 'running';
      },
    );
    expect(seen.has('provisioning')).toBe(true);
    expect(running.body.ipv4).toEqual([expect.stringMatching(/^192\.0\.2\./)]);
    expect((await api('POST', `/linode/instances/${created.body.id}/shutdown`)).status).toBe(200);
    expect((await api('GET', `/linode/instances/${created.body.id}`)).body.status).toBe('shutting_down');
    expect((await api('POST', `/linode/instances/${created.body.id}/boot`)).body.errors).toEqual([
      { reason: 'Linode busy.' },
    ]);
    await eventually(
      () => api('GET', `/linode/instances/${created.body.id}`),
      (answer) => answer.body.status === 'offline',
    );
  });
});

describe('fault injection', () => {
  it('error and rateLimit faults fire `count` times, then stop', async () => {
    expect(
      (await control('POST', '/__sim/faults', { operation: 'listTypes', mode: 'error', count: 2 })).status,
    ).toBe(200);
    expect((await api('GET', '/linode/types')).status).toBe(500);
    expect((await api('GET', '/linode/regions')).status).toBe(404); // not an operation: /regions is
    expect((await api('GET', '/regions')).status).toBe(200);
    const second = await api('GET', '/linode/types');
    expect(second.status).toBe(500);
    expect(second.body.errors[0].reason).toMatch(/unexpected/i);
    expect((await api('GET', '/linode/types')).status).toBe(200);
    await control('POST', '/__sim/faults', { operation: '*', mode: 'rateLimit', count: 1 });
    const limited = await api('GET', '/images');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await control('GET', '/__sim/faults')).body.data).toEqual([]);
  });

  it('probability draws from a seeded PRNG: the same seed gives the same pattern', async () => {
    const pattern = async () => {
      await control('DELETE', '/__sim/faults');
      await control('POST', '/__sim/faults', {
        operation: 'listRegions',
        mode: 'error',
        probability: 0.5,
        seed: 42,
      });
      const statuses: number[] = [];
      for (let index = 0; index < 20; index++) statuses.push((await api('GET', '/regions')).status);
      return statuses;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first.filter((status) => status === 500).length).toBeGreaterThan(2);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(2);
    const invalid = await control('POST', '/__sim/faults', {
      operation: 'nope',
      mode: 'explode',
      probability: 2,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toHaveLength(3);
  });

  it('timeout holds the request until the client gives up, and close() still returns', async () => {
    sim.state.addFault({ operation: 'getInstance', mode: 'timeout', count: 1 });
    const started = Date.now();
    await expect(
      fetch(`${sim.url}/linode/instances/1`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    sim.state.addFault({ operation: 'listImages', mode: 'timeout' });
    const held = fetch(`${sim.url}/images`, { headers: { authorization: `Bearer ${TOKEN}` } }).catch(
      (error: unknown) => error,
    );
    await eventually(
      async () => sim.state.listFaults()[0]?.fired ?? 0,
      (fired) => fired === 1,
    );
    await sim.close(); // must not wait for the held request
    expect(String(await held)).toMatch(/fetch failed/);
  });

  it('lostAnswer performs create, boot, shutdown and delete, then resets the connection instead of answering', async () => {
    const instances = async () =>
      (await control('GET', '/__sim/instances')).body.data as {
        id: number;
        status: string;
        deleted: boolean;
      }[];
    const lost = (method: string, path: string, body?: unknown) =>
      fetch(`${sim.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(
        () => 'answered',
        (error: unknown) => String(error),
      );

    await control('POST', '/__sim/faults', { operation: 'createInstance', mode: 'lostAnswer', count: 1 });
    expect(await lost('POST', '/linode/instances', createBody('lost-1'))).toMatch(/fetch failed/);
    const [created] = await instances();
    expect(created).toMatchObject({ label: 'lost-1', deleted: false });
    await eventually(instances, ([instance]) => instance.status === 'running');

    await control('POST', '/__sim/faults', { operation: 'shutdown', mode: 'lostAnswer', count: 1 });
    expect(await lost('POST', `/linode/instances/${created.id}/shutdown`)).toMatch(/fetch failed/);
    await eventually(instances, ([instance]) => instance.status === 'offline');

    await control('POST', '/__sim/faults', { operation: 'boot', mode: 'lostAnswer', count: 1 });
    expect(await lost('POST', `/linode/instances/${created.id}/boot`)).toMatch(/fetch failed/);
    await eventually(instances, ([instance]) => instance.status === 'running');

    await control('POST', '/__sim/faults', { operation: 'deleteInstance', mode: 'lostAnswer', count: 1 });
    expect(await lost('DELETE', `/linode/instances/${created.id}`)).toMatch(/fetch failed/);
    expect((await instances()).map((instance) => [instance.id, instance.deleted])).toEqual([
      [created.id, true],
    ]);
    // Spent faults are gone; the next request is answered.
    expect((await control('GET', '/__sim/faults')).body.data).toEqual([]);
    expect((await api('DELETE', `/linode/instances/${created.id}`)).status).toBe(404);
  });

  it('stuck instances stay provisioning until released; /__sim/instances keeps deleted ones', async () => {
    await control('POST', '/__sim/faults', { operation: 'createInstance', mode: 'stuck', count: 1 });
    const stuck = await api('POST', '/linode/instances', createBody('stuck-1'));
    const fine = await api('POST', '/linode/instances', createBody('fine-1'));
    await eventually(
      () => api('GET', `/linode/instances/${fine.body.id}`),
      (answer) => answer.body.status === 'running',
    );
    expect((await api('GET', `/linode/instances/${stuck.body.id}`)).body.status).toBe('provisioning');
    const released = await control('POST', `/__sim/instances/${stuck.body.id}/release`);
    expect(released.body.stuck).toBe(false);
    await eventually(
      () => api('GET', `/linode/instances/${stuck.body.id}`),
      (answer) => answer.body.status === 'running',
    );
    await api('DELETE', `/linode/instances/${fine.body.id}`);
    const all = await control('GET', '/__sim/instances');
    expect(
      all.body.data.map((instance: { label: string; deleted: boolean }) => [
        instance.label,
        instance.deleted,
      ]),
    ).toEqual([
      ['stuck-1', false],
      ['fine-1', true],
    ]);
    expect((await control('POST', '/__sim/instances/999/release')).status).toBe(404);
  });
});
