import { Inject, Injectable } from '@nestjs/common';
import { linkTokenAssociatedData, type IssuedTokenData, type LinkTokenEvent } from '@stratus/domain';
import { SecretBox } from '@stratus/infra';
import { createHash, randomBytes } from 'node:crypto';
import { VPS_SETTINGS, type VpsSettings } from '../../../shared/config/vps-settings';
import { CLOCK, type Clock } from '../../../shared/event-sourcing/tokens';

/** `<userId>.<32 random bytes, base64url>`: the user id says whose stream to check the token against. */
const LINK_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The user a link token belongs to, or null when it is not shaped like one. */
export function linkTokenUserId(token: unknown): string | null {
  if (typeof token !== 'string') return null;
  return LINK_TOKEN.exec(token)?.[1] ?? null;
}

/**
 * One-time link tokens (email verification, password reset): random, stored only hashed; the raw token
 * leaves the API sealed in its event for the mailer, which puts it in the link.
 */
@Injectable()
export class LinkTokens {
  private readonly box: SecretBox;

  constructor(
    @Inject(VPS_SETTINGS) settings: VpsSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.box = new SecretBox(settings.secretsEncryptionKey);
  }

  issue(type: LinkTokenEvent, userId: string, ttlMs: number): IssuedTokenData {
    const token = `${userId}.${randomBytes(32).toString('base64url')}`;
    return {
      tokenHash: hashLinkToken(token),
      expiresAt: new Date(this.clock.now().getTime() + ttlMs).toISOString(),
      sealedToken: this.box.encrypt(token, linkTokenAssociatedData(type, userId)),
    };
  }

  /** The raw token of a sealed one (what the mailer does; tests follow links with it). */
  unseal(type: LinkTokenEvent, userId: string, sealedToken: string): string {
    return this.box.decrypt(sealedToken, linkTokenAssociatedData(type, userId));
  }
}
