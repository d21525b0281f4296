import { Inject, Injectable } from '@nestjs/common';
import { invitationSealedFor } from '@stratus/domain';
import { SecretBox } from '@stratus/infra';
import { randomBytes } from 'node:crypto';
import { VPS_SETTINGS, type VpsSettings } from '../../../shared/config/vps-settings';
import { hashLinkToken } from '../../auth/shared/link-tokens';

/** `<organizationId>.<32 random bytes, base64url>`: the organization id says which stream holds the invitation. */
const INVITATION_TOKEN =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;

/** The organization an invitation token belongs to, or null when it is not shaped like one. */
export function invitationTokenOrganizationId(token: unknown): string | null {
  if (typeof token !== 'string') return null;
  return INVITATION_TOKEN.exec(token)?.[1] ?? null;
}

/** sha256, as the organization's stream keeps it (the same hash as the account's link tokens). */
export const hashInvitationToken = hashLinkToken;

/**
 * Invitation tokens: random, stored only hashed; the raw token leaves the API sealed in its event for the mailer,
 * which puts it in the link (as the account's link tokens do).
 */
@Injectable()
export class InvitationTokens {
  private readonly box: SecretBox;

  constructor(@Inject(VPS_SETTINGS) settings: VpsSettings) {
    this.box = new SecretBox(settings.secretsEncryptionKey);
  }

  issue(organizationId: string, invitationId: string): { tokenHash: string; sealedToken: string } {
    const token = `${organizationId}.${randomBytes(32).toString('base64url')}`;
    return {
      tokenHash: hashInvitationToken(token),
      sealedToken: this.box.encrypt(token, invitationSealedFor(invitationId)),
    };
  }

  /** The raw token of a sealed one (what the mailer does; tests follow invitations with it). */
  unseal(invitationId: string, sealedToken: string): string {
    return this.box.decrypt(sealedToken, invitationSealedFor(invitationId));
  }
}
