import { CommandBus } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { UserDirectory } from '../../shared/users/user-directory.service';
import { startTestApi, TEST_ADMIN, type TestApi } from '../../testing/api-test-app';
import { AdminSeed } from './admin-seed.service';

/** ADMIN_EMAIL registered first by a customer: the seed must not hand that customer the platform. */
describe('admin seed', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  const seed = (promoteExisting: boolean) =>
    new AdminSeed(
      { ...api.config, admin: { ...TEST_ADMIN, promoteExisting } },
      api.app.get(UserDirectory),
      api.app.get(CommandExecutor),
      api.app.get(CommandBus),
    ).run();
  const roleOf = async () => (await api.app.get(UserDirectory).findByEmail(TEST_ADMIN.email))?.platformRole;

  it('leaves an existing customer account alone unless ADMIN_PROMOTE_EXISTING=true', async () => {
    const registered = await api.request('POST', '/api/auth/register', {
      body: { email: TEST_ADMIN.email, password: 'squatter-password-1', name: 'Squatter' },
    });
    expect(registered.status).toBe(201);

    await seed(false);
    expect(await roleOf()).toBe('customer');
    const squatter = await api.request('POST', '/api/auth/login', {
      body: { email: TEST_ADMIN.email, password: 'squatter-password-1' },
    });
    expect(squatter.status).toBe(200);
    expect((await api.request('GET', '/api/admin/users', { token: squatter.body.token })).status).toBe(403);

    await seed(true);
    expect(await roleOf()).toBe('admin');
  });

  it('registers a missing admin as admin from its first event', async () => {
    const other = await startTestApi({ seedAdmin: false });
    try {
      await new AdminSeed(
        { ...other.config, admin: { ...TEST_ADMIN, promoteExisting: false } },
        other.app.get(UserDirectory),
        other.app.get(CommandExecutor),
        other.app.get(CommandBus),
      ).run();
      const user = await other.app.get(UserDirectory).findByEmail(TEST_ADMIN.email);
      expect(user?.platformRole).toBe('admin');
      const events = await other.eventStore.readStream(`user-${user!.userId}`);
      expect(events.map((e) => e.type)).toEqual(['UserRegistered']);
    } finally {
      await other.close();
    }
  });
});
