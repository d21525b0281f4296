import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';

jest.setTimeout(120_000);

let api: TestApi;
let adminToken: string;
let customerToken: string;

beforeAll(async () => {
  api = await startTestApi();
  adminToken = (await signInAdmin(api)).token;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email: 'mail-customer@example.com', password: 'a-long-password-1', name: 'C' },
  });
  expect(reg.status).toBe(201);
  customerToken = reg.body.token;
});
afterAll(async () => {
  await api?.close();
});

const row = (id: string, status: string, extra: string) =>
  `insert into mail_outbox (id, event_id, event_type, template, recipient_user_id, to_address, data, status, attempts,
     next_attempt_at, created_at, ${extra.split('=')[0]})
   values ('${id}', 'e-${id}', 'UserRegistered', 'welcome', 'u', 'x@example.test', '{}', '${status}', 3, now(),
     now(), ${extra.split('=')[1]})`;

describe('GET /api/admin/mail', () => {
  test('only platform admins: 401 without a token, 403 for a customer', async () => {
    expect((await api.request('GET', '/api/admin/mail')).status).toBe(401);
    expect((await api.request('GET', '/api/admin/mail', { token: customerToken })).status).toBe(403);
  });

  test('shows counts and the failed and unconfirmed mails with the server’s answer', async () => {
    const knex = api.orm.em.getConnection().getKnex();
    await knex.raw(row('00000000-0000-4000-8000-000000000001', 'failed', "last_error='550 mailbox unknown'"));
    await knex.raw(
      row('00000000-0000-4000-8000-000000000002', 'sent', "sent_at=now() - interval '5 minutes'"),
    );
    await knex.raw(row('00000000-0000-4000-8000-000000000003', 'sent', 'confirmed_at=now()'));
    const res = await api.request('GET', '/api/admin/mail', { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ pending: 0, sending: 0, sent: 2, failed: 1, unconfirmed: 1 });
    expect(
      res.body.problems.map((p: { id: string; problem: string }) => [p.id.slice(-1), p.problem]).sort(),
    ).toEqual([
      ['1', 'failed'],
      ['2', 'unconfirmed'],
    ]);
    expect(res.body.problems.find((p: { problem: string }) => p.problem === 'failed').lastError).toBe(
      '550 mailbox unknown',
    );
    // Every row, with its state, never its data (a link token's row holds it sealed).
    expect(res.body.recent).toHaveLength(3);
    expect(res.body.recent.find((r: { id: string }) => r.id.endsWith('1'))).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      template: 'welcome',
      toAddress: 'x@example.test',
      eventType: 'UserRegistered',
      status: 'failed',
      attempts: 3,
      lastError: '550 mailbox unknown',
      createdAt: expect.any(String),
      sentAt: null,
      confirmedAt: null,
    });
    expect(res.body.recent.find((r: { id: string }) => r.id.endsWith('3')).confirmedAt).toEqual(
      expect.any(String),
    );
  });
});
