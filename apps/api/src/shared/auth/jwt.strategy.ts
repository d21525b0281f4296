import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { AuthenticatedUser } from './authenticated-user';

export interface SessionTokenClaims {
  sub: string;
  email: string;
  role: 'admin' | 'customer';
}

/** Only HS256 with our key, our issuer and audience, not expired; everything else is a 401. */
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
    return { userId: payload.sub, email: payload.email, platformRole: payload.role };
  }
}
