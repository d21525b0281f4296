import { Inject, Injectable } from '@nestjs/common';
import type { ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../read-models/tokens';

/** A key used again within this long after its last recorded use is not recorded again (by this instance). */
export const API_KEY_USAGE_INTERVAL_MS = 60_000;
const MAX_REMEMBERED_KEYS = 50_000;

/**
 * When each API key was last used, for its owner's list: one upsert per key per minute per API instance, into the
 * API's own `api_key_usage` table (not an event per request, not a read model a rebuild would wipe).
 */
@Injectable()
export class ApiKeyUsage {
  private readonly recordedAt = new Map<string, number>();

  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async record(keyId: string, now: Date): Promise<void> {
    const last = this.recordedAt.get(keyId);
    if (last !== undefined && now.getTime() - last < API_KEY_USAGE_INTERVAL_MS) return;
    this.recordedAt.delete(keyId); // re-insert: Map order = oldest first
    this.recordedAt.set(keyId, now.getTime());
    while (this.recordedAt.size > MAX_REMEMBERED_KEYS) {
      const oldest = this.recordedAt.keys().next().value;
      if (oldest === undefined) break;
      this.recordedAt.delete(oldest);
    }
    await this.orm.em.getConnection().execute(
      `insert into api_key_usage as u (key_id, last_used_at) values (?, ?)
       on conflict (key_id) do update set last_used_at = greatest(u.last_used_at, excluded.last_used_at)`,
      [keyId, now.toISOString()],
    );
  }

  /** The last recorded use of each of these keys (absent: never used). */
  async lastUsed(keyIds: readonly string[]): Promise<Map<string, Date>> {
    if (keyIds.length === 0) return new Map();
    const rows = await this.orm.em
      .getConnection()
      .execute<{ key_id: string; last_used_at: Date | string }[]>(
        `select key_id, last_used_at from api_key_usage where key_id in (${keyIds.map(() => '?').join(', ')})`,
        [...keyIds],
      );
    return new Map(rows.map((row) => [row.key_id, new Date(row.last_used_at)]));
  }
}
