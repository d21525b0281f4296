import { reconcileBilling, type LedgerEvent } from './reconciliation';
import {
  DIRECTORY_PAGE_SIZE,
  replayOrganizationBilling,
  replayOrganizations,
  type LedgerStreamReader,
  type ReconciliationDirectory,
  type StoredLedgerEvent,
} from './reconciliation-streams';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (millis: number) => new Date(millis).toISOString();
const window = { from: iso(T0), to: iso(T0 + 5 * HOUR), periodSeconds: 3600 };
/** December 2025 ends at T0, in the window: its transfer month is reconciled from these streams. */
const TRANSFER_READS = (vpsId: string) => ['transferprice-platform', `transfer-${vpsId}-2025-12`];

/** Two organizations, each with one server charged every period but one (org-a also charges twice once). */
function history(): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (const [org, vps] of [
    ['org-a', 'va'],
    ['org-b', 'vb'],
  ]) {
    events.push(
      {
        id: `${vps}-r`,
        streamId: `vps-${vps}`,
        type: 'VpsRequested',
        data: { vpsId: vps, organizationId: org, hourlyPrice: '1' },
        occurredAt: iso(T0),
      },
      {
        id: `${vps}-a`,
        streamId: `vps-${vps}`,
        type: 'VpsActivated',
        data: { vpsId: vps, billedUntil: iso(T0 + HOUR) },
        occurredAt: iso(T0),
      },
    );
    for (let period = 0; period < 4; period++) {
      if (period === 2) continue; // never charged
      const charges = org === 'org-a' && period === 1 ? 2 : 1;
      for (let n = 0; n < charges; n++) {
        events.push({
          id: `${vps}-c${period}-${n}`,
          streamId: `wallet-${org}`,
          type: 'WalletCharged',
          data: { organizationId: org, chargeId: `vps-${vps}:${iso(T0 + period * HOUR)}`, amount: '1' },
          occurredAt: iso(T0 + (period + 1) * HOUR),
        });
      }
    }
  }
  return events;
}

/** An in-memory store that remembers which streams were read and in how many pages. */
function reader(events: LedgerEvent[]) {
  const reads: string[] = [];
  const byStream = new Map<string, StoredLedgerEvent[]>();
  for (const event of events) {
    const stream = byStream.get(event.streamId) ?? [];
    stream.push({ ...event, revision: BigInt(stream.length), metadata: { occurredAt: event.occurredAt } });
    byStream.set(event.streamId, stream);
  }
  const port: LedgerStreamReader = {
    async readStream(streamId, { fromRevision, maxCount }) {
      reads.push(streamId);
      const from = Number(fromRevision);
      return (byStream.get(streamId) ?? []).slice(from, from + maxCount);
    },
  };
  return { port, reads };
}

describe('replayOrganizationBilling', () => {
  it('finds what the whole-history replay finds for that organization, reading only its streams', async () => {
    const events = history();
    const { port, reads } = reader(events);
    // The directory does not know the server yet: its wallet's charges name it.
    const report = await replayOrganizationBilling(
      port,
      { ...window, organizationId: 'org-a' },
      { servers: [] },
      2,
    );
    const whole = reconcileBilling({ ...window, organizationId: 'org-a' }, events);
    expect(report.lines).toEqual(whole.lines);
    expect(report.summary).toEqual(whole.summary);
    expect(report.lines.map((l) => l.kind)).toEqual(['duplicate_charge', 'missing_charge']);
    // The window starts at December's end: its transfer month (and the price) is read too.
    expect(new Set(reads)).toEqual(
      new Set(['wallet-org-a', 'organizationpayments-org-a', 'vps-va', ...TRANSFER_READS('va')]),
    );
    // In pages of 2: wallet (4 events) 3 reads, its (empty) list of payments 1, server (2 events) 2 reads,
    // the (empty) price and transfer month 1 each.
    expect(reads).toHaveLength(8);
    expect(report.eventsRead).toBe(6);
  });

  it('reads the servers the directory names even when the wallet never charged them', async () => {
    const events = history().filter((e) => e.streamId !== 'wallet-org-b');
    const { port, reads } = reader(events);
    const report = await replayOrganizationBilling(
      port,
      { ...window, organizationId: 'org-b' },
      { servers: ['vb'] },
    );
    expect(reads).toEqual(['wallet-org-b', 'organizationpayments-org-b', 'vps-vb', ...TRANSFER_READS('vb')]);
    // The first hour and the three periods due in the window.
    expect(report.lines.map((l) => l.kind)).toEqual(Array(4).fill('missing_charge'));
  });
});

describe('the payments an organization replay reads', () => {
  const PAYMENT = '7b0c4c1e-0000-4000-8000-00000000000a';
  const at = (hours: number) => iso(T0 + hours * HOUR);
  /** A payment captured and credited (the credit names it), then refunded without its wallet debit. */
  const creditedThenRefunded: LedgerEvent[] = [
    {
      id: 'p-captured',
      streamId: `payment-${PAYMENT}`,
      type: 'PaymentCaptured',
      data: {
        paymentId: PAYMENT,
        organizationId: 'org-a',
        provider: 'paypal',
        captureId: 'CAP-A',
        amount: '20.000000',
        via: 'return',
      },
      occurredAt: at(1),
    },
    {
      id: 'w-credited',
      streamId: 'wallet-org-a',
      type: 'WalletCredited',
      data: {
        organizationId: 'org-a',
        amount: '20.000000',
        balanceAfter: '20.000000',
        source: 'payment',
        reason: 'PayPal payment',
        reference: 'CAP-A',
        paymentId: PAYMENT,
      },
      occurredAt: at(1),
    },
    {
      id: 'p-refunded',
      streamId: `payment-${PAYMENT}`,
      type: 'PaymentRefunded',
      data: {
        paymentId: PAYMENT,
        organizationId: 'org-a',
        refundId: 'REF-A',
        amount: '5.000000',
        walletDebited: '5.000000',
      },
      occurredAt: at(2),
    },
  ];

  it('reads the payments its wallet credits name when the directory has not caught up (a lagging read model)', async () => {
    const { port, reads } = reader(creditedThenRefunded);
    const report = await replayOrganizationBilling(
      port,
      { ...window, organizationId: 'org-a' },
      { servers: [], payments: [] },
    );
    // Not an orphan credit: its payment's stream is read, and the refund never debited is found.
    expect(report.lines.map((l) => [l.kind, l.paymentId])).toEqual([['missing_refund_debit', PAYMENT]]);
    expect(reads).toContain(`payment-${PAYMENT}`);
    expect(report.lines).toEqual(
      reconcileBilling({ ...window, organizationId: 'org-a' }, creditedThenRefunded).lines,
    );
  });

  it("finds a capture never credited when the directory has not caught up: the organization's payment index names it", async () => {
    const captured = creditedThenRefunded[0];
    const listed: LedgerEvent = {
      id: 'i-listed',
      streamId: 'organizationpayments-org-a',
      type: 'OrganizationPaymentListed',
      data: { organizationId: 'org-a', paymentId: PAYMENT },
      occurredAt: at(1),
    };
    const { port, reads } = reader([listed, captured]);
    const report = await replayOrganizationBilling(
      port,
      { ...window, organizationId: 'org-a' },
      { servers: [], payments: [] },
    );
    expect(report.lines.map((l) => [l.kind, l.paymentId])).toEqual([['missing_credit', PAYMENT]]);
    expect(reads).toEqual([
      'wallet-org-a',
      'organizationpayments-org-a',
      `payment-${PAYMENT}`,
      'transferprice-platform',
    ]);
  });
});

describe('replayOrganizations', () => {
  /** Organizations org-000… in id order, each with no server; `asked` records the directory's pages. */
  const directory = (count: number) => {
    const ids = Array.from({ length: count }, (_, i) => `org-${String(i).padStart(3, '0')}`);
    const asked: (string | null)[] = [];
    const port: ReconciliationDirectory = {
      async organizationsAfter(after, limit) {
        asked.push(after);
        return ids.filter((id) => after === null || id > after).slice(0, limit);
      },
      async serversOf(organizationId) {
        return organizationId === 'org-a' ? ['va'] : [];
      },
      async paymentsOf() {
        return [];
      },
    };
    return { port, asked };
  };
  const organizationsOf = async (replays: AsyncGenerator<{ organizationId: string }>): Promise<string[]> => {
    const seen: string[] = [];
    for await (const { organizationId } of replays) seen.push(organizationId);
    return seen;
  };

  it('goes through every organization of the directory, page by page, after the one given', async () => {
    const count = DIRECTORY_PAGE_SIZE + 5;
    const { port, asked } = directory(count);
    const all = await organizationsOf(
      replayOrganizations(reader([]).port, port, { ...window, organizationId: null }),
    );
    expect(all).toHaveLength(count);
    expect(asked).toEqual([null, all[DIRECTORY_PAGE_SIZE - 1]]);
    const rest = await organizationsOf(
      replayOrganizations(reader([]).port, port, { ...window, organizationId: null }, 'org-100'),
    );
    expect(rest).toEqual(['org-101', 'org-102', 'org-103', 'org-104']);
  });

  it("replays only the window's organization with the directory's servers, once (not again after it)", async () => {
    const events = history();
    const { port: streams, reads } = reader(events);
    const only = { ...window, organizationId: 'org-a' };
    const replays = [];
    for await (const replay of replayOrganizations(streams, directory(0).port, only)) replays.push(replay);
    expect(replays.map((r) => r.organizationId)).toEqual(['org-a']);
    expect(replays[0].report.lines).toEqual(reconcileBilling(only, events).lines);
    expect(new Set(reads)).toEqual(
      new Set(['wallet-org-a', 'organizationpayments-org-a', 'vps-va', ...TRANSFER_READS('va')]),
    );
    expect(await organizationsOf(replayOrganizations(streams, null, only, 'org-a'))).toEqual([]);
  });

  it('refuses a run of every organization without a directory', async () => {
    await expect(
      organizationsOf(replayOrganizations(reader([]).port, null, { ...window, organizationId: null })),
    ).rejects.toThrow('needs the directory');
  });
});
