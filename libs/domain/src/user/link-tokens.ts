/** The events that carry a sealed one-time link token. */
export type LinkTokenEvent = 'EmailVerificationRequested' | 'PasswordResetRequested';

/**
 * The associated data a link token is sealed with (SecretBox, SECRETS_ENCRYPTION_KEY): binds the sealed
 * token to its event type and user, so a sealed token copied into another event or user does not open.
 */
export function linkTokenAssociatedData(type: LinkTokenEvent, userId: string): string {
  return `${type}:${userId}`;
}

/** How long a link stays valid. */
export const EMAIL_VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/** Where a mailed link points, below the portal's URL (PORTAL_URL): `?token=` follows. */
export const LINK_TOKEN_PAGES: Record<LinkTokenEvent, string> = {
  EmailVerificationRequested: '/verify-email',
  PasswordResetRequested: '/reset-password',
};
