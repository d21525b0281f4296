import { createHash, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RECOVERY_CODE_COUNT, TOTP_PERIOD_SECONDS, TOTP_WINDOW_STEPS, totpTimeStep } from '@stratus/domain';
import { SecretBox } from '@stratus/infra';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { VPS_SETTINGS, type VpsSettings } from '../../shared/config/vps-settings';

/** What an authenticator app shows the account under. */
const ISSUER = 'Stratus';
const CODE = /^\d{6}$/;
/** Recovery codes avoid look-alikes (0/o, 1/l/i) so they can be typed from paper. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_CODE_LENGTH = 10;

/** The event a sealed TOTP secret belongs to: its associated data binds it to that event and that user. */
export type SealedSecretPurpose = 'TwoFactorSetupStarted' | 'TwoFactorEnabled';

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) secrets, codes and recovery codes. Secrets live in events only sealed
 * with SECRETS_ENCRYPTION_KEY; recovery codes only as sha256 digests.
 */
@Injectable()
export class TwoFactorSecrets {
  private readonly box: SecretBox;

  constructor(@Inject(VPS_SETTINGS) settings: VpsSettings) {
    this.box = new SecretBox(settings.secretsEncryptionKey);
  }

  /** A fresh 160-bit secret, base32 (what authenticator apps take by hand). */
  newSecret(): string {
    return new Secret({ size: 20 }).base32;
  }

  otpauthUrl(secret: string, accountName: string): string {
    return this.totp(secret, accountName).toString();
  }

  qrSvg(otpauthUrl: string): Promise<string> {
    return QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  }

  /** The time step `code` matches at `now` (one step of drift either way), or null when it matches none. */
  matchingTimeStep(secret: string, code: string, now: string): number | null {
    if (!CODE.test(code)) return null;
    const delta = this.totp(secret, '').validate({
      token: code,
      timestamp: Date.parse(now),
      window: TOTP_WINDOW_STEPS,
    });
    return delta === null ? null : totpTimeStep(now) + delta;
  }

  seal(secret: string, purpose: SealedSecretPurpose, userId: string): string {
    return this.box.encrypt(secret, `${purpose}:${userId}`);
  }

  open(sealed: string, purpose: SealedSecretPurpose, userId: string): string {
    return this.box.decrypt(sealed, `${purpose}:${userId}`);
  }

  /** Ten fresh codes, as shown to the user ("abcde-fghjk"), with the digests the user stream keeps. */
  newRecoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const chars = Array.from(
        { length: RECOVERY_CODE_LENGTH },
        () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
      ).join('');
      return `${chars.slice(0, 5)}-${chars.slice(5)}`;
    });
    return { codes, hashes: codes.map((code) => this.recoveryCodeHash(code)) };
  }

  /** Case, spaces and dashes do not matter when a recovery code is typed back. */
  recoveryCodeHash(typed: string): string {
    const normalized = typed.toLowerCase().replace(/[\s-]/g, '');
    return createHash('sha256').update(normalized).digest('hex');
  }

  private totp(secret: string, label: string): TOTP {
    return new TOTP({
      issuer: ISSUER,
      label,
      algorithm: 'SHA1',
      digits: 6,
      period: TOTP_PERIOD_SECONDS,
      secret: Secret.fromBase32(secret),
    });
  }
}
