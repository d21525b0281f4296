import type { PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';
import { monthStart, projectedMonthSpend } from '$lib/ledger';
import { fromMicros, toMicros } from '$lib/money';

export interface Activity {
  at: string;
  kind: 'ledger' | 'server';
  text: string;
  amount: string | null;
  href: string | null;
}

const RECENT_SERVERS = 8;
const RECENT_LEDGER_ENTRIES = 15;
const POWER_WORDS: Record<string, string> = { boot: 'booted', shutdown: 'shut down', reboot: 'rebooted' };

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:vps', 'live:wallet');
  const { api } = event.locals;
  const organizationId = membership.organizationId;
  const canSeeBilling = membership.permissions.includes('billing_view');
  const now = new Date();
  const since = monthStart(now);

  const [servers, wallet, monthSpend, ledger, transfer] = await Promise.all([
    settle(api.servers(organizationId)),
    canSeeBilling ? settle(api.wallet(organizationId)) : null,
    canSeeBilling ? settle(api.walletSpend(organizationId, since)) : null,
    canSeeBilling
      ? settle(api.walletTransactions(organizationId, { limit: RECENT_LEDGER_ENTRIES, since }))
      : null,
    // The organization's network transfer this month, pooled (usage against the allowance, the price past it).
    settle(api.organizationTransfer(organizationId)),
  ]);

  const byStatus: Record<string, number> = {};
  if (servers.ok)
    for (const server of servers.value) byStatus[server.status] = (byStatus[server.status] ?? 0) + 1;

  let spend: { monthToDate: string; projected: string } | null = null;
  if (monthSpend?.ok) {
    const monthToDate = toMicros(monthSpend.value.total);
    const billed = servers.ok
      ? servers.value.filter((s) => s.status === 'active').map((s) => s.hourlyPrice)
      : [];
    spend = {
      monthToDate: fromMicros(monthToDate),
      projected: fromMicros(projectedMonthSpend(monthToDate, billed, now)),
    };
  }

  const activity: Activity[] = [];
  if (ledger?.ok) {
    for (const t of ledger.value.items) {
      activity.push({
        at: t.occurredAt,
        kind: 'ledger',
        text: t.description || t.type,
        amount: t.amount,
        href: '/billing',
      });
    }
  }
  if (servers.ok) {
    for (const s of servers.value) {
      activity.push({
        at: s.createdAt,
        kind: 'server',
        text: `Server ${s.label} created`,
        amount: null,
        href: `/vps/${s.id}`,
      });
    }
    // The latest power action and deletion of the most recent servers (their detail holds them).
    const recent = [...servers.value]
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
      .slice(0, RECENT_SERVERS);
    const details = await Promise.all(recent.map((s) => settle(api.server(organizationId, s.id))));
    for (const detail of details) {
      if (!detail.ok) continue;
      const s = detail.value;
      if (s.lastPowerAction && s.lastPowerActionAt) {
        activity.push({
          at: s.lastPowerActionAt,
          kind: 'server',
          text: `Server ${s.label}: ${POWER_WORDS[s.lastPowerAction] ?? s.lastPowerAction}`,
          amount: null,
          href: `/vps/${s.id}`,
        });
      }
      if (s.deletedAt) {
        activity.push({
          at: s.deletedAt,
          kind: 'server',
          text: `Server ${s.label} deleted`,
          amount: null,
          href: `/vps/${s.id}`,
        });
      }
    }
  }
  activity.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  return {
    organizationName: membership.organizationName,
    canSeeBilling,
    servers,
    byStatus,
    wallet,
    spend,
    activity: activity.slice(0, 12),
    transfer,
  };
};
