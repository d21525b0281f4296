import { isTrustedProxy, parseTrustProxy } from './trust-proxy';

describe('TRUST_PROXY', () => {
  it('parses false, true and lists', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('loopback')).toBe('loopback');
    expect(parseTrustProxy('172.28.0.30 ,loopback')).toBe('172.28.0.30, loopback');
  });

  it('trusts exactly the listed peers', () => {
    const trust = parseTrustProxy('loopback, 172.28.0.30, 10.1.0.0/16');
    expect(isTrustedProxy(trust, '127.0.0.1')).toBe(true);
    expect(isTrustedProxy(trust, '::ffff:127.0.0.1')).toBe(true);
    expect(isTrustedProxy(trust, '::1')).toBe(true);
    expect(isTrustedProxy(trust, '172.28.0.30')).toBe(true);
    expect(isTrustedProxy(trust, '::ffff:172.28.0.30')).toBe(true);
    expect(isTrustedProxy(trust, '10.1.200.3')).toBe(true);
    expect(isTrustedProxy(trust, '172.28.0.31')).toBe(false);
    expect(isTrustedProxy(trust, '203.0.113.9')).toBe(false);
    expect(isTrustedProxy(false, '127.0.0.1')).toBe(false);
    expect(isTrustedProxy(true, '203.0.113.9')).toBe(true);
  });
});
