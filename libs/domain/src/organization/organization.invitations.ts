/** How long an invitation can be accepted. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Unexpired pending invitations an organization may have at once. */
export const MAX_PENDING_INVITATIONS = 100;

/**
 * The associated data an invitation's token is sealed with (SecretBox, SECRETS_ENCRYPTION_KEY): binds the sealed
 * token to its invitation, so a sealed token copied into another event does not open.
 */
export function invitationSealedFor(invitationId: string): string {
  return `InvitationCreated:${invitationId}`;
}

/** Where a mailed invitation points, below the portal's URL (PORTAL_URL): `/<token>` follows. */
export const INVITATION_PAGE = '/invitations';
