import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { usersProjection } from './users.projection';

const registered = recorded(
  'UserRegistered',
  {
    userId: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    passwordHash: 'secret-hash',
    platformRole: 'customer',
  },
  { occurredAt: '2026-01-02T03:04:05.000Z' },
);

describe('users projection', () => {
  it('registers a user without the password hash, created at the event time', () => {
    const rows = foldProjection(usersProjection, [registered]);
    expect([...rows.values()]).toEqual([
      {
        id: 'u1',
        email: 'ada@example.com',
        name: 'Ada',
        platformRole: 'customer',
        activeOrganizationId: null,
        emailVerified: false,
        twoFactorEnabled: false,
        mailOptOuts: [],
        createdAt: new Date('2026-01-02T03:04:05.000Z'),
      },
    ]);
    expect(JSON.stringify([...rows.values()])).not.toContain('secret-hash');
  });

  it('grants a platform role and selects the active organization', () => {
    const rows = foldProjection(usersProjection, [
      registered,
      recorded('PlatformRoleGranted', { userId: 'u1', platformRole: 'admin' }),
      recorded('ActiveOrganizationSelected', { userId: 'u1', organizationId: 'o9' }),
    ]);
    expect(rows.get('u1')).toMatchObject({ platformRole: 'admin', activeOrganizationId: 'o9' });
  });

  it('records a verified email and whether two-factor authentication is on', () => {
    const enabled = recorded('TwoFactorEnabled', { userId: 'u1', sealedSecret: 's', recoveryCodeHashes: [] });
    const verified = recorded('EmailVerified', { userId: 'u1', email: 'ada@example.com' });
    expect(foldProjection(usersProjection, [registered, verified, enabled]).get('u1')).toMatchObject({
      emailVerified: true,
      twoFactorEnabled: true,
    });
    expect(
      foldProjection(usersProjection, [
        registered,
        enabled,
        recorded('TwoFactorDisabled', { userId: 'u1' }),
      ]).get('u1'),
    ).toMatchObject({ emailVerified: false, twoFactorEnabled: false });
  });

  it('records the optional mails the user turned off', () => {
    const rows = foldProjection(usersProjection, [
      registered,
      recorded('MailPreferencesChanged', { userId: 'u1', optedOut: ['low_balance', 'server_active'] }),
      recorded('MailPreferencesChanged', { userId: 'u1', optedOut: ['server_active'] }),
    ]);
    expect(rows.get('u1')).toMatchObject({ mailOptOuts: ['server_active'] });
  });

  it('ignores updates for a user it never saw registered', () => {
    const rows = foldProjection(usersProjection, [
      recorded('PlatformRoleGranted', { userId: 'ghost', platformRole: 'admin' }),
    ]);
    expect(rows.size).toBe(0);
  });
});
