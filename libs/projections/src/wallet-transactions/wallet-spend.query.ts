import type { ProjectionsOrm } from '../orm';

/** The ledger entries that are spend: charges take (negative amounts), refunds of charges give back. */
export const WALLET_SPEND_TYPES = ['WalletCharged', 'WalletChargeRefunded'] as const;

export interface WalletSpendHour {
  /** Start of the (UTC) hour. */
  hour: Date;
  /** Micro-dollars spent in that hour (charges minus refunds; negative when refunds exceed charges). */
  spend: bigint;
}

/**
 * An organization's spend at or after `since`, summed per UTC hour by PostgreSQL (one query, at most one row an
 * hour), oldest first; hours without spend are left out. Callers bucket hours into their viewer's days.
 */
export async function walletSpendByHour(
  orm: ProjectionsOrm,
  organizationId: string,
  since: Date,
): Promise<WalletSpendHour[]> {
  const rows = await orm.em.getConnection().execute<{ hour: Date; spend: string }[]>(
    `select date_trunc('hour', occurred_at, 'UTC') as hour, (-sum(amount))::text as spend
       from wallet_transactions
      where organization_id = ? and occurred_at >= ? and type in (?, ?)
      group by 1
      order by 1`,
    [organizationId, since, ...WALLET_SPEND_TYPES],
  );
  return rows.map((row) => ({ hour: new Date(row.hour), spend: BigInt(row.spend) }));
}
