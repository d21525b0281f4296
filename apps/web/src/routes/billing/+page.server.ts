import { randomUUID } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { addFundsAction } from '$lib/server/forms';

/** The page's ledger filters, as the API's entry types (all: no filter). */
const LEDGER_FILTERS: Record<string, readonly string[] | undefined> = {
  all: undefined,
  charges: ['WalletCharged', 'WalletChargeFailed', 'WalletDebtRecorded'],
  credits: ['WalletCredited', 'WalletAdjusted'],
  refunds: ['WalletChargeRefunded'],
};

const PAGE_SIZE = 25;
const PAYMENTS_SHOWN = 10;
const SPEND_DAYS = 31;

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:wallet');
  const canSeeBilling = membership.permissions.includes('billing_view');
  const canPay = membership.permissions.includes('billing_manage');
  if (!canSeeBilling) {
    return {
      canSeeBilling,
      canPay,
      wallet: null,
      ledger: null,
      spend: null,
      payments: null,
      filter: 'all',
      cursor: null,
      now: '',
      idempotencyKey: '',
    };
  }
  const { api } = event.locals;
  const organizationId = membership.organizationId;
  const requested = event.url.searchParams.get('type') ?? 'all';
  const filter = requested in LEDGER_FILTERS ? requested : 'all';
  const cursor = event.url.searchParams.get('cursor');
  const now = new Date();

  // In parallel: the API filters the ledger, sums the spend and lists the payments.
  const [wallet, ledger, spend, payments] = await Promise.all([
    settle(api.wallet(organizationId)),
    settle(
      api.walletTransactions(organizationId, { limit: PAGE_SIZE, cursor, types: LEDGER_FILTERS[filter] }),
    ),
    settle(api.walletSpend(organizationId, new Date(now.getTime() - SPEND_DAYS * 86_400_000))),
    canPay ? settle(api.payments(organizationId, { limit: PAYMENTS_SHOWN })) : null,
  ]);
  return {
    canSeeBilling,
    canPay,
    wallet,
    ledger,
    spend,
    payments,
    filter,
    cursor,
    now: now.toISOString(),
    // One key per rendered "Add funds" form: a double submit or a retry starts one payment.
    idempotencyKey: `top-up-${randomUUID()}`,
  };
};

export const actions: Actions = {
  addFunds: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(event, await addFundsAction(event.locals.api, membership.organizationId, form));
  },
};
