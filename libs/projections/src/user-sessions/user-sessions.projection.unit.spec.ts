import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { userSessionsProjection } from './user-sessions.projection';

const signedIn = (sessionId: string, at: string) =>
  recorded(
    'SignedIn',
    { userId: 'u1', sessionId, ip: '203.0.113.7', userAgent: 'Firefox', newDevice: false },
    { occurredAt: at },
  );

describe('user sessions projection', () => {
  it('records each sign-in as an open session', () => {
    const rows = foldProjection(userSessionsProjection, [
      signedIn('s1', '2026-01-02T03:04:05.000Z'),
      signedIn('s2', '2026-01-03T03:04:05.000Z'),
    ]);
    expect(rows.get('s1')).toEqual({
      id: 's1',
      userId: 'u1',
      ip: '203.0.113.7',
      userAgent: 'Firefox',
      signedInAt: new Date('2026-01-02T03:04:05.000Z'),
      revokedAt: null,
      impersonatorId: null,
    });
    expect(rows.get('s2')?.revokedAt).toBeNull();
  });

  it('records an impersonation as a session of the user, naming the staff member', () => {
    const started = recorded(
      'ImpersonationStarted',
      {
        userId: 'u1',
        sessionId: 's3',
        impersonatorId: 'staff-1',
        reason: 'ticket #42',
        startedAt: '2026-01-02T03:04:05.000Z',
        expiresAt: '2026-01-02T04:04:05.000Z',
      },
      { occurredAt: '2026-01-02T03:04:05.000Z' },
    );
    const rows = foldProjection(userSessionsProjection, [
      {
        ...started,
        metadata: { ...started.metadata, actor: { userId: 'staff-1', role: 'admin', ip: '198.51.100.9' } },
      },
      recorded(
        'SessionRevoked',
        { userId: 'u1', sessionId: 's3' },
        { occurredAt: '2026-01-02T03:30:00.000Z' },
      ),
    ]);
    expect(rows.get('s3')).toEqual({
      id: 's3',
      userId: 'u1',
      ip: '198.51.100.9',
      userAgent: '',
      signedInAt: new Date('2026-01-02T03:04:05.000Z'),
      revokedAt: new Date('2026-01-02T03:30:00.000Z'),
      impersonatorId: 'staff-1',
    });
  });

  it('keeps a revoked session, marked with the time of its first revocation', () => {
    const rows = foldProjection(userSessionsProjection, [
      signedIn('s1', '2026-01-02T03:04:05.000Z'),
      recorded(
        'SessionRevoked',
        { userId: 'u1', sessionId: 's1' },
        { occurredAt: '2026-01-04T00:00:00.000Z' },
      ),
      recorded(
        'SessionRevoked',
        { userId: 'u1', sessionId: 's1' },
        { occurredAt: '2026-01-05T00:00:00.000Z' },
      ),
    ]);
    expect(rows.get('s1')?.revokedAt).toEqual(new Date('2026-01-04T00:00:00.000Z'));
  });

  it('ignores a revocation of a session it never saw', () => {
    const rows = foldProjection(userSessionsProjection, [
      recorded('SessionRevoked', { userId: 'u1', sessionId: 'ghost' }),
    ]);
    expect(rows.size).toBe(0);
  });
});
