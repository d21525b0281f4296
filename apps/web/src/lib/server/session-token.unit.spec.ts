import { tokenLifetimeSeconds } from './session-token';

const jwt = (claims: unknown) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('session cookie lifetime', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');

  it("lives as long as the token: the cookie's max-age is the seconds left until exp", () => {
    expect(tokenLifetimeSeconds(jwt({ exp: now / 1000 + 3600 }), now)).toBe(3600);
    expect(tokenLifetimeSeconds(jwt({ exp: now / 1000 - 5 }), now)).toBe(0);
  });

  it('says nothing for tokens it cannot read', () => {
    expect(tokenLifetimeSeconds('garbage', now)).toBeNull();
    expect(tokenLifetimeSeconds('a.!!!.c', now)).toBeNull();
    expect(tokenLifetimeSeconds(jwt({ sub: 'x' }), now)).toBeNull();
  });
});
