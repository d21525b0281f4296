import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { SessionTokenClaims } from './jwt.strategy';

/** Signs session tokens. Issue them through `SessionTokens.start` (auth module), which records the session. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  issue(
    user: { userId: string; email: string; platformRole: 'admin' | 'customer' },
    sessionId: string,
    impersonation?: { impersonatorId: string; lifetimeSeconds: number },
  ): string {
    const claims: SessionTokenClaims = {
      sub: user.userId,
      email: user.email,
      role: user.platformRole,
      sid: sessionId,
      ...(impersonation ? { imp: impersonation.impersonatorId } : {}),
    };
    // An impersonation's token lives as long as its session (ImpersonationStarted's expiresAt), at most JWT_TTL.
    const lifetime = impersonation
      ? Math.min(this.config.jwt.ttlSeconds, impersonation.lifetimeSeconds)
      : this.config.jwt.ttlSeconds;
    return this.jwt.sign(claims, {
      algorithm: 'HS256',
      secret: this.config.jwt.secret,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
      expiresIn: lifetime,
    });
  }
}
