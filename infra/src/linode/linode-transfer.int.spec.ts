import { isProviderError, ProviderError } from '@stratus/domain';
import {
  LinodeSimulator,
  SimulatorExchange,
  startLinodeSimulator,
} from '../linode-simulator/linode-simulator';
import { loadLinodeSpecValidator, LinodeSpecValidator } from '../linode-simulator/openapi-validator';
import { LinodeProvider } from './linode-provider';

/** The transfer counters: the simulator's endpoints and controls, and the adapter reading them, against the spec. */
const TOKEN = 'transfer-token';
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
  const problems = exchanges.flatMap((exchange) => {
    const full = `${exchange.path}${exchange.query.size > 0 ? `?${exchange.query.toString()}` : ''}`;
    return [
      ...spec.validateRequest(exchange.method, full, exchange.requestBody, {}).errors,
      ...spec.validateResponse(exchange.method, exchange.path, exchange.status, exchange.responseBody).errors,
    ].map((error) => `${exchange.method} ${full} → ${error}`);
  });
  expect(problems).toEqual([]);
});

const provider = () =>
  new LinodeProvider({ baseUrl: sim.url, token: TOKEN, retryBaseMs: 5, timeoutMs: 2000 });
const root = () => sim.url.replace(/\/v4$/, '');

async function api(path: string) {
  const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function setTransfer(id: string, body: unknown) {
  const response = await fetch(`${root()}/__sim/instances/${id}/transfer`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function instance(): Promise<string> {
  const created = await provider().createInstance({
    label: 'transfer-1',
    region: 'us-east',
    type: 'g6-nanode-1',
    image: 'linode/debian12',
    rootPassword: 'a-long-root-password-1',
    tags: ['stratus', 'vps:transfer-1'],
  });
  return created.id;
}

describe('instance transfer', () => {
  it('answers the counter set by the control exactly, in bytes, with the quota in whole GB', async () => {
    const id = await instance();
    // Past 2^32 and not a whole MiB: nothing is rounded.
    expect((await setTransfer(id, { used: 5_000_000_123_457, bytesPerSecond: 0 })).status).toBe(200);
    const answer = await api(`/linode/instances/${id}/transfer`);
    expect(answer.status).toBe(200);
    expect(answer.body.used).toBe(5_000_000_123_457);
    expect(Number.isInteger(answer.body.quota)).toBe(true);
    expect(answer.body.quota as number).toBeLessThanOrEqual(1000);
    expect(answer.body.billable).toBe(
      Math.ceil((5_000_000_123_457 - (answer.body.quota as number) * 1e9) / 1e9),
    );
    expect(await provider().getInstanceTransfer(id)).toEqual({
      usedBytes: 5_000_000_123_457n,
      quotaGb: answer.body.quota,
    });
  });

  it("answers a past or current month's totals, and refuses a future or malformed month", async () => {
    const id = await instance();
    await setTransfer(id, { used: 3_000, bytesPerSecond: 0 });
    const now = new Date();
    const current = await api(
      `/linode/instances/${id}/transfer/${now.getUTCFullYear()}/${now.getUTCMonth() + 1}`,
    );
    expect(current).toEqual({ status: 200, body: { bytes_in: 1000, bytes_out: 2000, bytes_total: 3000 } });
    expect((await api(`/linode/instances/${id}/transfer/2037/12`)).status).toBe(400);
    // Outside the spec's ranges as well: the spec refuses the request too (and it leaves the exchanges checked).
    for (const path of [
      `/linode/instances/${id}/transfer/1999/1`,
      `/linode/instances/${id}/transfer/2026/13`,
    ]) {
      expect((await api(path)).status).toBe(400);
      const sent = exchanges.pop()!;
      expect(spec.validateRequest('GET', sent.path, undefined, {}).errors).not.toEqual([]);
    }
  });

  it('is not found for a missing instance: the adapter answers null', async () => {
    expect((await api('/linode/instances/99999999/transfer')).status).toBe(404);
    expect(await provider().getInstanceTransfer('99999999')).toBeNull();
    expect(await provider().getInstanceTransfer('not-a-number')).toBeNull();
  });

  it('refuses a bad control body with 400 and changes nothing', async () => {
    const id = await instance();
    await setTransfer(id, { used: 7, bytesPerSecond: 0 });
    for (const body of [{ used: -1 }, { used: 1.5 }, { used: '7' }, { used: 1, bytesPerSecond: -2 }]) {
      expect((await setTransfer(id, body)).status).toBe(400);
    }
    expect((await provider().getInstanceTransfer(id))!.usedBytes).toBe(7n);
  });

  it('goes through fault injection: a 500 is retried, a lasting one is a retryable provider error', async () => {
    const id = await instance();
    await setTransfer(id, { used: 42, bytesPerSecond: 0 });
    sim.state.addFault({ operation: 'getInstanceTransfer', mode: 'error', count: 1 });
    expect((await provider().getInstanceTransfer(id))!.usedBytes).toBe(42n);
    sim.state.addFault({ operation: 'getInstanceTransfer', mode: 'error' });
    const error = await provider()
      .getInstanceTransfer(id)
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(isProviderError(error)).toBe(true);
    expect((error as ProviderError).kind).toBe('retryable');
  });
});
