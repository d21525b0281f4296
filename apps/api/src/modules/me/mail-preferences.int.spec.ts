import { OPTIONAL_MAILS, REQUIRED_MAILS } from '@stratus/domain';
import { startTestApi, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(120_000);

describe('GET and PUT /api/me/mail-preferences', () => {
  let api: TestApi;
  let ada: { token: string; id: string };
  let bob: { token: string; id: string };
  const register = async (email: string) => {
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'a-long-password-1', name: email.split('@')[0] },
    });
    expect(res.status).toBe(201);
    return { token: res.body.token as string, id: res.body.user.id as string };
  };
  const subscribed = (body: { optional: { mail: string; subscribed: boolean }[] }) =>
    body.optional.filter((p) => !p.subscribed).map((p) => p.mail);

  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
    ada = await register('ada-prefs@example.com');
    bob = await register('bob-prefs@example.com');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('starts with every optional mail on and lists the mails always sent', async () => {
    const res = await api.request('GET', '/api/me/mail-preferences', { token: ada.token });
    expect(res.status).toBe(200);
    expect(res.body.optional.map((p: { mail: string }) => p.mail)).toEqual(Object.keys(OPTIONAL_MAILS));
    expect(res.body.optional.every((p: { subscribed: boolean }) => p.subscribed)).toBe(true);
    expect(res.body.alwaysSent.map((p: { mail: string }) => p.mail)).toEqual(Object.keys(REQUIRED_MAILS));
  });

  it('turns optional mails off and on again, for the signed-in user only', async () => {
    const put = await api.request('PUT', '/api/me/mail-preferences', {
      token: ada.token,
      body: { optedOut: ['server_active', 'low_balance'] },
    });
    expect(put.status).toBe(200);
    expect(subscribed(put.body)).toEqual(['low_balance', 'server_active']);
    expect(put.body.position).toEqual(expect.any(String));

    const read = await api.request('GET', '/api/me/mail-preferences', {
      token: ada.token,
      headers: { 'X-Min-Position': put.body.position },
    });
    expect(subscribed(read.body)).toEqual(['low_balance', 'server_active']);
    // Another user's preferences are untouched.
    const other = await api.request('GET', '/api/me/mail-preferences', { token: bob.token });
    expect(subscribed(other.body)).toEqual([]);

    // The same choice again records nothing.
    const before = await api.eventCount();
    const again = await api.request('PUT', '/api/me/mail-preferences', {
      token: ada.token,
      body: { optedOut: ['low_balance', 'server_active'] },
    });
    expect(again.status).toBe(200);
    expect(subscribed(again.body)).toEqual(['low_balance', 'server_active']);
    expect(await api.eventCount()).toBe(before);

    const on = await api.request('PUT', '/api/me/mail-preferences', {
      token: ada.token,
      body: { optedOut: [] },
    });
    expect(subscribed(on.body)).toEqual([]);
  });

  it.each([
    [{ optedOut: ['password_reset'] }, 'invalid_mail_preferences'],
    [{ optedOut: ['no_such_mail'] }, 'invalid_mail_preferences'],
    [{ optedOut: 'low_balance' }, 'validation_failed'],
    [{ optedOut: [7] }, 'validation_failed'],
    [{}, 'validation_failed'],
  ])('refuses %j with 400 %s and changes nothing', async (body, error) => {
    const before = await api.eventCount();
    const res = await api.request('PUT', '/api/me/mail-preferences', { token: bob.token, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error, message: expect.any(String), details: expect.anything() });
    expect(await api.eventCount()).toBe(before);
  });

  // Security matrix: both routes are the signed-in user's own; no token, no access (there is no other tenant or
  // lower role to try: the user id comes from the session only).
  it.each<[string, object | undefined, string | undefined]>([
    ['GET', undefined, undefined],
    ['PUT', { optedOut: [] }, undefined],
    ['GET', undefined, 'not-a-token'],
    ['PUT', { optedOut: [] }, 'not-a-token'],
  ])('%s with body %j and token %s is 401', async (method, body, token) => {
    const before = await api.eventCount();
    const res = await api.request(method, '/api/me/mail-preferences', { body, token });
    expect(res.status).toBe(401);
    expect(await api.eventCount()).toBe(before);
  });
});
