import { hourlyPriceOf, monthlyPriceOf } from '@stratus/domain';
import { startLinodeSimulator, type LinodeSimulator } from '@stratus/infra/linode-simulator';
import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';

let api: TestApi;
let sim: LinodeSimulator;
let adminToken: string;
let customerToken: string;
const calls = new Map<string, number>();

beforeAll(async () => {
  sim = await startLinodeSimulator({
    port: 0,
    delays: { provisioningMs: 0, bootingMs: 0 },
    observe: (exchange) => {
      if (exchange.operation) calls.set(exchange.operation, (calls.get(exchange.operation) ?? 0) + 1);
    },
  });
  api = await startTestApi({
    configOverrides: { vps: { linode: { apiUrl: sim.url, token: 'simulator-token' } } },
  });
  adminToken = (await signInAdmin(api)).token;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email: 'cat@example.com', password: 'a-long-password-1', name: 'Cat' },
  });
  expect(reg.status).toBe(201);
  customerToken = reg.body.token;
});
afterAll(async () => {
  await api?.close();
  await sim?.close();
});

const nano = {
  name: 'Nano',
  providerPlanId: 'g6-nanode-1',
  regions: ['us-east', 'eu-west'],
  baseMonthlyPrice: '5.00',
  markup: '1.00',
  backupUpcharge: '2.00',
  active: true,
};

describe('plans', () => {
  test('create, update (price change is an event), list for staff and customers', async () => {
    const created = await api.request('POST', '/api/admin/plans', { token: adminToken, body: nano });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      name: 'Nano',
      provider: 'linode',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east', 'eu-west'],
      baseMonthlyPrice: '5.000000',
      markup: '1.000000',
      backupUpcharge: '2.000000',
      active: true,
      monthlyPrice: '6.000000',
      monthlyPriceWithBackups: '8.000000',
      // 6 / 730 = 0.0082191… and 8 / 730 = 0.0109589…, half-up to the micro-dollar.
      hourlyPrice: '0.008219',
      hourlyPriceWithBackups: '0.010959',
      position: expect.stringMatching(/^\d+\/\d+$/),
    });
    // Exactly the domain's pricing, in micro-dollars.
    const components = { baseMonthlyPrice: 5_000_000n, markup: 1_000_000n, backupUpcharge: 2_000_000n };
    const micros = (s: string) => BigInt(s.replace('.', ''));
    expect(micros(created.body.hourlyPrice)).toBe(hourlyPriceOf(components, false));
    expect(micros(created.body.hourlyPriceWithBackups)).toBe(hourlyPriceOf(components, true));
    expect(micros(created.body.monthlyPrice)).toBe(monthlyPriceOf(components, false));

    const hidden = await api.request('POST', '/api/admin/plans', {
      token: adminToken,
      body: { ...nano, name: 'Hidden', active: false },
    });
    expect(hidden.status).toBe(201);

    const patched = await api.request('PATCH', `/api/admin/plans/${id}`, {
      token: adminToken,
      body: { markup: '2.300001', regions: ['us-east'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      markup: '2.300001',
      regions: ['us-east'],
      monthlyPrice: '7.300001',
    });
    const types = (await api.eventStore.readStream(`plan-${id}`)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['PlanCreated', 'PlanPriceChanged', 'PlanDetailsChanged']));

    const staff = await api.request('GET', '/api/admin/plans', {
      token: adminToken,
      headers: { 'X-Min-Position': patched.body.position },
    });
    expect(staff.status).toBe(200);
    expect(staff.body.map((p: { name: string }) => p.name)).toEqual(['Nano', 'Hidden']);

    const offered = await api.request('GET', '/api/vps/plans', {
      token: customerToken,
      headers: { 'X-Min-Position': patched.body.position },
    });
    expect(offered.status).toBe(200);
    expect(offered.body).toEqual([
      {
        id,
        name: 'Nano',
        regions: ['us-east'],
        hourlyPrice: patched.body.hourlyPrice,
        monthlyPrice: '7.300001',
        hourlyPriceWithBackups: patched.body.hourlyPriceWithBackups,
        monthlyPriceWithBackups: '9.300001',
        specs: expect.objectContaining({ vcpus: 1 }),
      },
    ]);
    expect(JSON.stringify(offered.body)).not.toContain('markup');

    const deactivated = await api.request('PATCH', `/api/admin/plans/${id}`, {
      token: adminToken,
      body: { active: false },
    });
    expect(deactivated.status).toBe(200);
    const none = await api.request('GET', '/api/vps/plans', {
      token: customerToken,
      headers: { 'X-Min-Position': deactivated.body.position },
    });
    expect(none.body).toEqual([]);
  });

  test('customers cannot manage plans; bad input is a 400 that records nothing', async () => {
    const forbidden = await api.request('POST', '/api/admin/plans', { token: customerToken, body: nano });
    expect(forbidden.status).toBe(403);
    const before = await api.eventCount();
    for (const body of [
      { ...nano, baseMonthlyPrice: 5 },
      { ...nano, baseMonthlyPrice: '5.0000001' },
      { ...nano, markup: '-1' },
      { ...nano, regions: [] },
      { ...nano, regions: 'us-east' },
      { ...nano, name: '' },
      { ...nano, providerPlanId: 'G6 NANODE' },
      { ...nano, extra: true },
    ]) {
      const res = await api.request('POST', '/api/admin/plans', { token: adminToken, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error).toEqual(expect.any(String));
    }
    const empty = await api.request('PATCH', '/api/admin/plans/00000000-0000-4000-8000-000000000000', {
      token: adminToken,
      body: {},
    });
    expect(empty.status).toBe(400);
    const unknown = await api.request('PATCH', '/api/admin/plans/00000000-0000-4000-8000-000000000000', {
      token: adminToken,
      body: { name: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect(await api.eventCount()).toBe(before);
  });
});

describe('regions and images from the provider', () => {
  test('provider down with nothing cached is a 503; then listed once and served from memory', async () => {
    sim.state.addFault({ operation: 'listRegions', mode: 'error' });
    const down = await api.request('GET', '/api/vps/regions', { token: customerToken });
    expect(down.status).toBe(503);
    expect(down.body.error).toBe('provider_unavailable');
    sim.state.clearFaults();

    const regionCallsBefore = calls.get('listRegions') ?? 0;
    const first = await api.request('GET', '/api/vps/regions', { token: customerToken });
    expect(first.status).toBe(200);
    expect(first.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'us-east', status: 'ok' })]),
    );
    const second = await api.request('GET', '/api/vps/regions', { token: customerToken });
    expect(second.body).toEqual(first.body);
    expect(calls.get('listRegions')).toBe(regionCallsBefore + 1);

    const images1 = await api.request('GET', '/api/vps/images', { token: customerToken });
    const images2 = await api.request('GET', '/api/vps/images', { token: customerToken });
    expect(images1.status).toBe(200);
    expect(images1.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'linode/debian12' })]),
    );
    expect(images2.body).toEqual(images1.body);
    expect(calls.get('listImages')).toBe(1);
  });
});
