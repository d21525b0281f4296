import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { API_CONFIG, type ApiConfig } from '../../shared/config/api-config';
import { ApiError } from '../../shared/errors/api-error';

interface MfaTokenClaims {
  sub: string;
  /** The sign-in awaiting its second factor (TwoFactorChallengeStarted.challengeId). */
  jti: string;
  purpose: 'mfa';
}

/**
 * The token between a correct password and the second factor: it names one sign-in on the user's stream and
 * is good for nothing else. Its audience differs from the session tokens', so the session guard refuses it and
 * it refuses a session token.
 */
@Injectable()
export class MfaTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private get audience(): string {
    return `${this.config.jwt.audience}/mfa`;
  }

  issue(userId: string, challengeId: string, expiresAt: string, now: number): string {
    const claims: MfaTokenClaims = { sub: userId, jti: challengeId, purpose: 'mfa' };
    return this.jwt.sign(claims, {
      algorithm: 'HS256',
      secret: this.config.jwt.secret,
      issuer: this.config.jwt.issuer,
      audience: this.audience,
      expiresIn: Math.max(1, Math.floor((Date.parse(expiresAt) - now) / 1000)),
    });
  }

  /** The sign-in a token names, or a 401 (forged, expired, or not an mfaToken). */
  verify(token: string): { userId: string; challengeId: string } {
    let claims: Partial<MfaTokenClaims>;
    try {
      claims = this.jwt.verify<MfaTokenClaims>(token, {
        algorithms: ['HS256'],
        secret: this.config.jwt.secret,
        issuer: this.config.jwt.issuer,
        audience: this.audience,
      });
    } catch {
      throw invalidMfaToken();
    }
    if (claims.purpose !== 'mfa' || typeof claims.sub !== 'string' || typeof claims.jti !== 'string') {
      throw invalidMfaToken();
    }
    return { userId: claims.sub, challengeId: claims.jti };
  }
}

function invalidMfaToken(): ApiError {
  return ApiError.unauthorized('This sign-in is no longer valid; sign in again', 'invalid_mfa_token');
}
