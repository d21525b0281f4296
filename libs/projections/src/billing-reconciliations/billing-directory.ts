/** A pg-style query (a Pool, a client, or knex.raw adapted to it). */
export type DirectoryQuery = (
  text: string,
  values: unknown[],
) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * Which streams a billing reconciliation reads, from the read models: organizations in id order (byte order,
 * as JavaScript compares strings, so a run can resume after the last one it recorded) and each one's servers.
 */
export interface BillingDirectory {
  /** Up to `limit` organization ids after `after` (null: from the first), ascending. */
  organizationsAfter(after: string | null, limit: number): Promise<string[]>;
  /** The organization's server ids (every status: a deleted server's last periods are reconciled too). */
  serversOf(organizationId: string): Promise<string[]>;
  /** The organization's payment ids (every status). */
  paymentsOf(organizationId: string): Promise<string[]>;
}

/** The directory over the read models' tables (`organizations`, `vps_servers`, `payments`). */
export function postgresBillingDirectory(query: DirectoryQuery): BillingDirectory {
  return {
    async organizationsAfter(after, limit) {
      const result = await query(
        `select id from organizations where ($1::text is null or id collate "C" > $1::text)
         order by id collate "C" limit $2`,
        [after, limit],
      );
      return result.rows.map((row) => String(row.id));
    },
    async serversOf(organizationId) {
      const result = await query('select id from vps_servers where organization_id = $1', [organizationId]);
      return result.rows.map((row) => String(row.id));
    },
    async paymentsOf(organizationId) {
      const result = await query('select payment_id from payments where organization_id = $1', [
        organizationId,
      ]);
      return result.rows.map((row) => String(row.payment_id));
    },
  };
}
