/** Seconds until the JWT's `exp` (read, not verified: the API verifies it on every call); null if unreadable. */
export function tokenLifetimeSeconds(token: string, nowMs: number): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof claims.exp !== 'number') return null;
    return Math.max(0, Math.floor(claims.exp - nowMs / 1000));
  } catch {
    return null;
  }
}
