/**
 * The wallet queries the portal's pages need, answered by the read models in a bounded number of queries: the
 * ledger filtered by entry type and time, and spend (charges minus refunds) summed per hour. Ledger rows are
 * written straight into the wallet_transactions read model; bad input is a 400 JSON error.
 */
import { WalletTransactionEntity, type WalletTransactionRow } from '@stratus/projections';
import { v4 as uuidv4 } from 'uuid';
import { startTestApi, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(120_000);

let api: TestApi;
let token: string;
let orgId: string;
let otherOrgId: string;
const now = Date.now();
const hoursAgo = (h: number) => new Date(Math.floor(now / 3_600_000) * 3_600_000 - h * 3_600_000 + 60_000);

let position = 1_000_000n;
function entry(organizationId: string, type: string, amount: bigint, at: Date): WalletTransactionRow {
  position += 1n;
  return {
    id: uuidv4(),
    organizationId,
    type,
    amount,
    attemptedAmount: type === 'WalletChargeFailed' ? 5_000n : null,
    balanceAfter: 0n,
    description: type,
    reference: null,
    chargeId: null,
    actorUserId: 'system',
    occurredAt: at,
    positionCommit: position,
    positionPrepare: position,
  };
}

async function register(n: number): Promise<{ token: string; orgId: string }> {
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email: `ledger${n}@example.com`, password: 'a-long-password-1', name: `Ledger ${n}` },
  });
  expect(reg.status).toBe(201);
  return { token: reg.body.token as string, orgId: reg.body.organization.id as string };
}

beforeAll(async () => {
  api = await startTestApi();
  ({ token, orgId } = await register(1));
  otherOrgId = (await register(2)).orgId;
  const em = api.orm.em.fork();
  for (const row of [
    entry(orgId, 'WalletCredited', 50_000_000n, hoursAgo(50 * 24)),
    entry(orgId, 'WalletCharged', -10_958n, hoursAgo(40 * 24)),
    entry(orgId, 'WalletCharged', -10_958n, hoursAgo(3)),
    entry(orgId, 'WalletCharged', -10_958n, hoursAgo(2)),
    entry(orgId, 'WalletChargeFailed', 0n, hoursAgo(2)),
    entry(orgId, 'WalletChargeRefunded', 958n, hoursAgo(2)),
    entry(orgId, 'WalletAdjusted', 1_000_000n, hoursAgo(1)),
    entry(otherOrgId, 'WalletCharged', -99_000_000n, hoursAgo(1)),
  ]) {
    em.create(WalletTransactionEntity, row);
  }
  await em.flush();
});

afterAll(async () => {
  await api?.close();
});

const get = (path: string) => api.request('GET', `/api/organizations/${orgId}/wallet${path}`, { token });

describe('GET /organizations/:orgId/wallet/transactions filtered', () => {
  it('by entry types, newest first, paged by the same cursor', async () => {
    const first = await get('/transactions?type=WalletCharged,WalletChargeFailed&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((t: { type: string }) => t.type)).toEqual([
      'WalletChargeFailed',
      'WalletCharged',
    ]);
    const rest = await get(
      `/transactions?type=WalletCharged,WalletChargeFailed&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(rest.body.items.map((t: { amount: string }) => t.amount)).toEqual(['-0.010958', '-0.010958']);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('by time: entries at or after since', async () => {
    const since = hoursAgo(3).toISOString();
    const page = await get(`/transactions?since=${since}&limit=100`);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(5);
    const credits = await get(`/transactions?since=${since}&type=WalletCredited`);
    expect(credits.body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['type=WalletOpened', 'invalid_type'],
    ['type=', 'invalid_type'],
    ['type=WalletCharged,nope', 'invalid_type'],
    ['since=yesterday', 'invalid_since'],
    ['since=2026-02-30T00:00:00Z', 'invalid_since'],
    ['since=2026-11-01T00:00:00', 'invalid_since'],
  ])('%s is a 400 %s', async (query, error) => {
    const res = await get(`/transactions?${query}`);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
    expect(res.body.details).toMatchObject({ field: error.slice('invalid_'.length) });
  });
});

describe('GET /organizations/:orgId/wallet/spend', () => {
  it('sums charges minus refunds per UTC hour since the instant, this organization only', async () => {
    const res = await get(`/spend?since=${encodeURIComponent(hoursAgo(24).toISOString())}`);
    expect(res.status).toBe(200);
    const hour = (h: number) => new Date(hoursAgo(h).getTime() - 60_000).toISOString();
    expect(res.body).toEqual({
      since: hoursAgo(24).toISOString(),
      total: '0.020958',
      hours: [
        { hour: hour(3), amount: '0.010958' },
        { hour: hour(2), amount: '0.010000' },
      ],
    });
  });

  it('is zero with no spend since the instant', async () => {
    const res = await get(`/spend?since=${encodeURIComponent(new Date(now + 60_000).toISOString())}`);
    expect(res.body).toMatchObject({ total: '0.000000', hours: [] });
  });

  it.each([
    ['', 'validation_failed'],
    ['since=soon', 'invalid_since'],
    [`since=${new Date(now - 94 * 86_400_000).toISOString()}`, 'invalid_since'],
  ])('"%s" is a 400 %s', async (query, error) => {
    const res = await get(`/spend?${query}`);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
    expect(typeof res.body.message).toBe('string');
  });

  it("another organization's spend is a 404", async () => {
    const res = await api.request(
      'GET',
      `/api/organizations/${otherOrgId}/wallet/spend?since=${hoursAgo(24).toISOString()}`,
      { token },
    );
    expect(res.status).toBe(404);
  });
});
