import type { ApiClient, WalletTransaction } from './api-client';

/**
 * The ledger's entries back to `since` (newest first), following the API's cursor pages; stops after `maxPages`
 * and says so, so a page shows "partial" rather than a wrong total.
 */
export async function transactionsSince(
  api: ApiClient,
  organizationId: string,
  since: Date,
  maxPages = 10,
): Promise<{ items: WalletTransaction[]; complete: boolean }> {
  const items: WalletTransaction[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const result = await api.walletTransactions(organizationId, { limit: 100, cursor });
    items.push(...result.items);
    const oldest = result.items.at(-1);
    if (!result.nextCursor || !oldest || new Date(oldest.occurredAt) < since) {
      return { items: items.filter((t) => new Date(t.occurredAt) >= since), complete: true };
    }
    cursor = result.nextCursor;
  }
  return { items: items.filter((t) => new Date(t.occurredAt) >= since), complete: false };
}
