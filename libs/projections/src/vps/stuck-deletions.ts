import type { DirectoryQuery } from '../billing-reconciliations/billing-directory';

/** A billed server whose deletion was requested and has not ended (status `deleting` in the read model). */
export interface StuckDeletion {
  vpsId: string;
  /** The read model's last change of the server (its deletion request, or anything later). */
  since: string;
}

/** Servers that have stayed `deleting` too long: their billing workflow may have missed the delete signal. */
export interface StuckDeletions {
  /** Up to `limit` activated servers `deleting` since before `before`, oldest first. */
  deletingSince(before: Date, limit: number): Promise<StuckDeletion[]>;
}

/** Over the read model's `vps_servers` (a deletion before activation belongs to provisioning: excluded). */
export function postgresStuckDeletions(query: DirectoryQuery): StuckDeletions {
  return {
    async deletingSince(before, limit) {
      const result = await query(
        `select id, updated_at from vps_servers
         where status = 'deleting' and billing_workflow_id is not null and updated_at < $1
         order by updated_at limit $2`,
        [before.toISOString(), limit],
      );
      return result.rows.map((row) => ({
        vpsId: String(row.id),
        since: new Date(row.updated_at as string | Date).toISOString(),
      }));
    },
  };
}
