import type { PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';

/** The page's ledger filters, as the API's entry types (all: no filter). */
const LEDGER_FILTERS: Record<string, readonly string[] | undefined> = {
  all: undefined,
  charges: ['WalletCharged', 'WalletChargeFailed', 'WalletDebtRecorded'],
  credits: ['WalletCredited', 'WalletAdjusted'],
  refunds: ['WalletChargeRefunded'],
};

const PAGE_SIZE = 25;
const SPEND_DAYS = 31;

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:wallet');
  const canSeeBilling = membership.permissions.includes('billing_view');
  if (!canSeeBilling) {
    return { canSeeBilling, wallet: null, ledger: null, spend: null, filter: 'all', cursor: null, now: '' };
  }
  const { api } = event.locals;
  const organizationId = membership.organizationId;
  const requested = event.url.searchParams.get('type') ?? 'all';
  const filter = requested in LEDGER_FILTERS ? requested : 'all';
  const cursor = event.url.searchParams.get('cursor');
  const now = new Date();

  // Three queries, in parallel: the API filters the ledger and sums the spend.
  const [wallet, ledger, spend] = await Promise.all([
    settle(api.wallet(organizationId)),
    settle(
      api.walletTransactions(organizationId, { limit: PAGE_SIZE, cursor, types: LEDGER_FILTERS[filter] }),
    ),
    settle(api.walletSpend(organizationId, new Date(now.getTime() - SPEND_DAYS * 86_400_000))),
  ]);
  return { canSeeBilling, wallet, ledger, spend, filter, cursor, now: now.toISOString() };
};
