import type { PageServerLoad } from './$types';
import { requireActiveOrganization, settle, type WalletTransaction } from '$lib/server/api';
import { transactionsSince } from '$lib/server/ledger';
import { isSpend } from '$lib/ledger';

/** Ledger filters; the API pages the whole ledger, the filter applies to the entries fetched. */
const LEDGER_FILTERS: Record<string, (t: WalletTransaction) => boolean> = {
  all: () => true,
  charges: (t) => t.type === 'WalletCharged' || t.type === 'WalletChargeFailed',
  credits: (t) => t.type === 'WalletCredited' || t.type === 'WalletAdjusted',
  refunds: (t) => t.type === 'WalletChargeRefunded',
};

const PAGE_SIZE = 25;
const MAX_PAGES_PER_VIEW = 5;

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:wallet');
  const canSeeBilling = membership.permissions.includes('billing_view');
  if (!canSeeBilling) {
    return { canSeeBilling, wallet: null, ledger: null, spend: null, filter: 'all', cursor: null, now: '' };
  }
  const { api } = event.locals;
  const organizationId = membership.organizationId;
  const filterName = event.url.searchParams.get('type') ?? 'all';
  const filter = LEDGER_FILTERS[filterName] ?? LEDGER_FILTERS.all;
  const cursor = event.url.searchParams.get('cursor');
  const now = new Date();

  const ledgerPage = async () => {
    // Fetch pages until a screenful matches the filter (or a few pages were read).
    const items: WalletTransaction[] = [];
    let next: string | null = cursor;
    for (let page = 0; page < MAX_PAGES_PER_VIEW; page++) {
      const result = await api.walletTransactions(organizationId, { limit: PAGE_SIZE, cursor: next });
      items.push(...result.items.filter(filter));
      next = result.nextCursor;
      if (!next || items.length >= PAGE_SIZE) break;
    }
    return { items, nextCursor: next };
  };

  const [wallet, ledger, recent] = await Promise.all([
    settle(api.wallet(organizationId)),
    settle(ledgerPage()),
    settle(transactionsSince(api, organizationId, new Date(now.getTime() - 31 * 86_400_000))),
  ]);
  return {
    canSeeBilling,
    wallet,
    ledger,
    spend: recent.ok
      ? {
          ok: true as const,
          entries: recent.value.items
            .filter(isSpend)
            .map(({ type, amount, occurredAt }) => ({ type, amount, occurredAt })),
          complete: recent.value.complete,
        }
      : recent,
    filter: LEDGER_FILTERS[filterName] ? filterName : 'all',
    cursor,
    now: now.toISOString(),
  };
};
