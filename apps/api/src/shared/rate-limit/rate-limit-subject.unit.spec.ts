import { addressKey, rateLimitSubject } from './rate-limit-subject';

const request = (fields: Record<string, unknown>) =>
  fields as unknown as Parameters<typeof rateLimitSubject>[0];

describe('rateLimitSubject', () => {
  it('an API key principal spends its key’s allowance, a session its user’s, an anonymous request its address’s', () => {
    const user = {
      userId: 'u1',
      email: 'a@b.c',
      platformRole: 'customer',
      sessionId: 's1',
      impersonatorId: null,
      apiKey: null,
    };
    const apiKey = { keyId: 'k1', organizationId: 'o1', permissions: ['vps_view'] };
    expect(
      rateLimitSubject(request({ user: { ...user, sessionId: null, apiKey }, ip: '192.0.2.1' })),
    ).toEqual({
      policy: 'apiKey',
      key: 'key:k1',
    });
    expect(rateLimitSubject(request({ user, ip: '192.0.2.1' }))).toEqual({ policy: 'user', key: 'user:u1' });
    expect(rateLimitSubject(request({ ip: '192.0.2.1' }))).toEqual({
      policy: 'anonymous',
      key: 'ip:192.0.2.1',
    });
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6', () => {
    expect(addressKey('203.0.113.7')).toBe('ip:203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('ip:203.0.113.7');
    expect(addressKey(undefined)).toBe('ip:unknown');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const key = 'ip:2001:db8:85a3:0::/64';
    expect(addressKey('2001:db8:85a3::8a2e:370:7334')).toBe(key);
    expect(addressKey('2001:0DB8:85a3:0000:1111:2222:3333:4444')).toBe(key);
    expect(addressKey('2001:db8:85a3:0:ffff::1%eth0')).toBe(key);
    expect(addressKey('2001:db8:85a4::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('ip:0:0:0:0::/64');
  });
});
