import type { DirectoryQuery } from '../billing-reconciliations/billing-directory';

/** A server whose network transfer is measured: it has an instance at the provider and is not gone. */
export interface MeteredServer {
  vpsId: string;
  organizationId: string;
  providerInstanceId: string;
}

/** The servers the hourly transfer measurement reads, page by page in id order. */
export interface MeteredServers {
  /** Up to `limit` metered servers with an id after `after` (null: from the first), ascending. */
  after(after: string | null, limit: number): Promise<MeteredServer[]>;
}

/**
 * Over the read model's `vps_servers`: every server with an instance that is not gone (active, suspended, deleting,
 * or in an operation: its instance counts until it is deleted).
 */
export function postgresMeteredServers(query: DirectoryQuery): MeteredServers {
  return {
    async after(after, limit) {
      const result = await query(
        `select id, organization_id, provider_instance_id from vps_servers
          where provider_instance_id is not null and status not in ('failed', 'deleted')
            and ($1::text is null or id collate "C" > $1::text)
          order by id collate "C" limit $2`,
        [after, limit],
      );
      return result.rows.map((row) => ({
        vpsId: String(row.id),
        organizationId: String(row.organization_id),
        providerInstanceId: String(row.provider_instance_id),
      }));
    },
  };
}
