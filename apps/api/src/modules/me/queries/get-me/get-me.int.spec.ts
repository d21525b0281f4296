import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { waitFor } from '@stratus/infra/testing';
import { createHash } from 'node:crypto';
import { CommandContext } from '../../../../shared/request-context/command-context';
import { startTestApi, type TestApi } from '../../../../testing/api-test-app';

describe('GET /api/me', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('says whether the email is verified and two-factor authentication is on', async () => {
    const registered = await api.request('POST', '/api/auth/register', {
      body: { email: 'ada@example.com', password: 'ada-password-123', name: 'Ada' },
    });
    expect(registered.status).toBe(201);
    const token = registered.body.token as string;
    const userId = registered.body.user.id as string;
    const me = await api.request('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: userId, emailVerified: false, twoFactorEnabled: false });

    const tokenHash = createHash('sha256').update('raw-token').digest('hex');
    const executor = api.app.get(CommandExecutor);
    const context = CommandContext.system('get-me-test');
    await executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'RequestEmailVerification' as const,
        data: {
          tokenHash,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          sealedToken: 'sealed',
        },
        metadata,
      }),
    });
    await executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({ type: 'VerifyEmail' as const, data: { tokenHash }, metadata }),
    });
    await waitFor(
      'emailVerified in /api/me',
      async () => {
        const seen = (await api.request('GET', '/api/me', { token })).body.user;
        return { value: seen.emailVerified === true ? seen : undefined, seen };
      },
      10_000,
    );

    expect((await api.request('GET', '/api/me')).status).toBe(401);
  });
});
