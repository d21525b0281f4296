import { Inject, Injectable } from '@nestjs/common';
import type { Position } from '@stratus/eventstore';
import { UserSessionEntity, type ProjectionsOrm } from '@stratus/projections';
import { ProjectionWaiter } from '../read-models/projection-waiter.service';
import { PROJECTIONS_ORM } from '../read-models/tokens';
import { UserDirectory } from '../users/user-directory.service';

/**
 * How long one API instance trusts its last answer about a session. A session revoked through another
 * instance is refused here at most this long after the sessions read model records it.
 */
export const SESSION_CHECK_CACHE_MS = 2_000;
const MAX_CACHED_SESSIONS = 50_000;
/** How long a revoking request waits for the sessions read model (it answers anyway after that). */
const REVOCATION_WAIT_MS = 3_000;

interface CachedAnswer {
  active: boolean;
  until: number;
}

/**
 * Whether a token's session is still open, asked of PostgreSQL (shared by every API instance): the
 * `user_sessions` read model, or, while it has not seen the sign-in yet, the user's own stream.
 */
@Injectable()
export class SessionChecker {
  private readonly cache = new Map<string, CachedAnswer>();

  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    private readonly users: UserDirectory,
    private readonly waiter: ProjectionWaiter,
  ) {}

  async isActive(userId: string, sessionId: string, now = Date.now()): Promise<boolean> {
    const key = `${userId} ${sessionId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.active;
    const active = await this.lookUp(userId, sessionId);
    // A session never reopens (a token is signed only after its SignedIn is stored): a refusal is final.
    this.remember(key, { active, until: active ? now + SESSION_CHECK_CACHE_MS : Infinity });
    return active;
  }

  private remember(key: string, answer: CachedAnswer): void {
    this.cache.delete(key); // re-insert: Map order = oldest answer first
    this.cache.set(key, answer);
    while (this.cache.size > MAX_CACHED_SESSIONS) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  /**
   * After this instance revoked sessions (their SessionRevoked at `position`): waits (briefly) until the read
   * models record them, so every instance refuses them within SESSION_CHECK_CACHE_MS of the answer; this
   * instance refuses them at once.
   */
  async revoked(userId: string, sessionIds: readonly string[], position: Position | null): Promise<void> {
    if (sessionIds.length === 0) return;
    for (const sessionId of sessionIds)
      this.remember(`${userId} ${sessionId}`, { active: false, until: Infinity });
    if (position) await this.waiter.waitFor(position, REVOCATION_WAIT_MS);
  }

  private async lookUp(userId: string, sessionId: string): Promise<boolean> {
    const row = await this.orm.em.fork().findOne(UserSessionEntity, { id: sessionId });
    if (row) return row.userId === userId && row.revokedAt === null;
    const state = await this.users.load(userId);
    return state.status === 'registered' && state.sessions.includes(sessionId);
  }
}
