import { Secret, TOTP } from 'otpauth';

/**
 * The TOTP code of a base32 secret at `timestamp` (default now), as an authenticator app computes it (RFC 6238
 * defaults: SHA-1, 6 digits, 30 s), so tests sign in with 2FA the way a person does.
 */
export function totpCode(secret: string, timestamp = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp });
}
