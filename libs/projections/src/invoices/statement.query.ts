import type { ProjectionsOrm } from '../orm';
import { WALLET_SPEND_TYPES } from '../wallet-transactions/wallet-spend.query';

/** The charges of one server in a statement's period (or of no server: `vpsId` null). */
export interface StatementServerCharges {
  vpsId: string | null;
  /** The server's label, null for charges without a server or a server the read model no longer knows. */
  label: string | null;
  /** Ledger entries summed (charges and their refunds). */
  entries: number;
  /** Micro-dollars: charges minus refunds of charges. */
  amount: bigint;
}

/**
 * An organization's usage in [from, to): the wallet's charges (minus their refunds) grouped by the server their
 * charge id names (`vpsChargeId`: `vps-<id>:<period start>`), summed by PostgreSQL in one query, by server label.
 */
export async function statementCharges(
  orm: ProjectionsOrm,
  organizationId: string,
  from: Date,
  to: Date,
): Promise<StatementServerCharges[]> {
  const rows = await orm.em
    .getConnection()
    .execute<{ vps_id: string | null; label: string | null; entries: string; amount: string }[]>(
      `select charges.vps_id, servers.label, charges.entries::text, charges.amount::text
       from (select substring(charge_id from '^vps-([^:]+):') as vps_id,
                    count(*) as entries, -sum(amount) as amount
               from wallet_transactions
              where organization_id = ? and occurred_at >= ? and occurred_at < ? and type in (?, ?)
              group by 1) as charges
       left join vps_servers as servers on servers.id = charges.vps_id
      order by servers.label nulls last, charges.vps_id nulls last`,
      [organizationId, from, to, ...WALLET_SPEND_TYPES],
    );
  return rows.map((row) => ({
    vpsId: row.vps_id,
    label: row.label,
    entries: Number(row.entries),
    amount: BigInt(row.amount),
  }));
}
