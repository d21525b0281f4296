import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { AuthenticatedUser } from './authenticated-user';

export interface SessionTokenClaims {
  sub: string;
  email: string;
  role: 'admin' | 'customer';
  /** The session this token belongs to (SignedIn's or ImpersonationStarted's sessionId). */
  sid: string;
  /** Impersonation sessions only: the staff member acting as `sub`. */
  imp?: string;
}

/**
 * Only HS256 with our key, our issuer and audience, not expired, naming a session; everything else is a 401.
 * Stateless on purpose: passport keeps one 'jwt' strategy per process, so whether the session is still open
 * is asked by each app's own JwtAuthGuard.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwt.secret,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: 0, maxAge: `${config.jwt.ttlSeconds}s` },
    });
  }

  validate(payload: Partial<SessionTokenClaims>): AuthenticatedUser | false {
    if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') return false;
    if (payload.role !== 'admin' && payload.role !== 'customer') return false;
    // Tokens from before sessions existed carry no sid: they cannot be revoked, so they are refused.
    if (typeof payload.sid !== 'string' || payload.sid.length === 0) return false;
    if (payload.imp !== undefined && (typeof payload.imp !== 'string' || payload.imp.length === 0))
      return false;
    return {
      userId: payload.sub,
      email: payload.email,
      platformRole: payload.role,
      sessionId: payload.sid,
      impersonatorId: payload.imp ?? null,
      apiKey: null,
    };
  }
}
