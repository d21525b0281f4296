import { waitFor } from '@stratus/infra/testing';
import { startTestApi, type TestApi } from '../../../../testing/api-test-app';

describe('GET /api/organizations', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function register(email: string): Promise<string> {
    const registered = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'a-password-123', name: email.split('@')[0] },
    });
    expect(registered.status).toBe(201);
    return registered.body.token as string;
  }

  it('pages the organizations in the order they were joined, with their member counts', async () => {
    const token = await register('orgs@example.com');
    const names = ['First', 'Second', 'Third'];
    let position = '';
    for (const name of names) {
      const created = await api.request('POST', '/api/organizations', { token, body: { name } });
      expect(created.status).toBe(201);
      position = created.body.position as string;
    }
    const list = (query: string, who = token) =>
      api.request('GET', `/api/organizations${query}`, {
        token: who,
        headers: { 'X-Min-Position': position },
      });
    await waitFor(
      'four organizations',
      async () => {
        const seen = (await list('')).body.items as unknown[];
        return { value: seen.length === 4 ? seen : undefined, seen };
      },
      10_000,
    );

    const first = await list('?limit=3');
    expect({ status: first.status, count: first.body.items.length }).toEqual({ status: 200, count: 3 });
    const second = await list(`?limit=3&cursor=${encodeURIComponent(first.body.nextCursor as string)}`);
    expect({ status: second.status, nextCursor: second.body.nextCursor }).toEqual({
      status: 200,
      nextCursor: null,
    });
    const paged = [...first.body.items, ...second.body.items];
    expect(paged.map((o) => o.name)).toEqual(["orgs's organization", ...names]);
    for (const organization of paged) {
      expect(organization).toEqual({
        organizationId: expect.any(String),
        name: expect.any(String),
        role: 'owner',
        roleName: 'owner',
        permissions: expect.arrayContaining(['members_manage']),
        memberCount: 1,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    expect((await list('')).body).toEqual({ items: paged, nextCursor: null });

    // Another user's cursor pages through that user's own organizations only.
    const other = await register('other-orgs@example.com');
    const theirs = await list(`?cursor=${encodeURIComponent(first.body.nextCursor as string)}`, other);
    const mine = new Set(paged.map((o) => o.organizationId));
    expect(theirs.status).toBe(200);
    expect(
      (theirs.body.items as { organizationId: string }[]).filter((o) => mine.has(o.organizationId)),
    ).toEqual([]);

    for (const bad of ['?limit=0', '?limit=101', '?cursor=bm9wZQ']) {
      const refused = await list(bad);
      expect({ bad, status: refused.status, error: refused.body.error }).toEqual({
        bad,
        status: 400,
        error: expect.stringMatching(/^(validation_failed|invalid_cursor)$/),
      });
    }
  });
});
