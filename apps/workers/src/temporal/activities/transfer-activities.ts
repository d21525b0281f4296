import {
  DomainError,
  evolveServerTransfer,
  formatMoney,
  money,
  streams as streamIds,
  transferChargeId,
  transferChargeSubject,
  transferHourOf,
  transferMeterDecider,
  transferMonthBill,
  transferMonthBounds,
  transferMonthDecider,
  transferMonthOf,
  transferPriceAt,
  requireTransferMonth,
  type CloseTransferMonth,
  type RecordTransferMeasurement,
  type ServerTransfer,
  type TimedTransferPrice,
  type TransferMeasured,
  type TransferMeterState,
  type TransferMonthClosed,
  type TransferMonthState,
} from '@stratus/domain';
import type { TransferActivities, TransferMonthCloseResult } from '@stratus/workflows';
import { activityContext, type ActivityDependencies, type Streams } from './activity-support';

/** Servers read from the directory at once. */
const METERED_PAGE_SIZE = 200;

const resultOf = (closed: TransferMonthClosed['data']): TransferMonthCloseResult => ({
  month: closed.month,
  outcome: closed.outcome,
  chargeId: closed.chargeId,
  usedBytes: closed.usedBytes,
  allowanceBytes: closed.allowanceBytes,
  overageBytes: closed.overageBytes,
  pricePerGb: closed.pricePerGb,
  amount: closed.amount,
});

/**
 * The transfer workflows' steps. Measurements and the month's close carry deterministic ids (a measurement's from
 * its server and hour, the close's from its organization and month, the charge's from its charge id): every step
 * can run twice.
 */
export function createTransferActivities(deps: ActivityDependencies, streams: Streams): TransferActivities {
  const clock = deps.clock ?? (() => new Date());
  const { provider, log, eventStore } = deps;

  /** The organization's servers' months (measurements of that organization only), from their streams. */
  const serverMonths = async (organizationId: string, month: string): Promise<ServerTransfer[]> => {
    const servers = deps.billingDirectory ? await deps.billingDirectory.serversOf(organizationId) : [];
    const months: ServerTransfer[] = [];
    for (const vpsId of [...servers].sort()) {
      let server: ServerTransfer | null = null;
      for (const event of await eventStore.readStream(streamIds.transfer(vpsId, month))) {
        if (event.type !== 'TransferMeasured') continue;
        const measured = { type: event.type, data: event.data } as TransferMeasured;
        if (measured.data.organizationId === organizationId) server = evolveServerTransfer(server, measured);
      }
      if (server) months.push(server);
    }
    return months;
  };

  const prices = async (): Promise<TimedTransferPrice[]> =>
    (await eventStore.readStream(streamIds.transferPrice()))
      .filter((event) => event.type === 'TransferPriceSet')
      .map((event) => ({
        pricePerGb: money((event.data as { pricePerGb: string }).pricePerGb),
        occurredAt: event.metadata.occurredAt,
      }));

  return {
    async measureTransfer() {
      const directory = deps.meteredServers;
      if (!directory) throw new Error('measureTransfer needs the directory of metered servers');
      let after: string | null = null;
      let measured = 0;
      let failed = 0;
      for (;;) {
        const page = await directory.after(after, METERED_PAGE_SIZE);
        for (const server of page) {
          let transfer;
          try {
            transfer = await provider.getInstanceTransfer(server.providerInstanceId);
          } catch (error) {
            failed += 1;
            log.warn('activities: transfer not measured (next hour will)', {
              vpsId: server.vpsId,
              error: String(error),
            });
            continue;
          }
          if (transfer === null) continue; // gone at the provider: nothing more to count
          // The hour (and so the month) the counter was read in: the provider's counter is that month's.
          const hour = transferHourOf(clock());
          const month = transferMonthOf(hour);
          await streams.executor.execute<TransferMeterState, RecordTransferMeasurement, TransferMeasured>({
            streamId: streamIds.transfer(server.vpsId, month),
            decider: transferMeterDecider,
            context: activityContext(),
            idempotencyKey: `transfer:${server.vpsId}:${hour}`,
            command: (_state, metadata) => ({
              type: 'RecordTransferMeasurement',
              data: {
                vpsId: server.vpsId,
                organizationId: server.organizationId,
                hour,
                usedBytes: transfer.usedBytes,
                quotaGb: transfer.quotaGb,
              },
              metadata,
            }),
          });
          measured += 1;
        }
        if (page.length < METERED_PAGE_SIZE) break;
        after = page[page.length - 1].vpsId;
      }
      const hour = transferHourOf(clock());
      log.info('activities: transfer measured', { hour, measured, failed });
      return { hour, measured, failed };
    },

    async organizationsPage({ after, limit }) {
      if (!deps.billingDirectory) throw new Error('organizationsPage needs the billing directory');
      return await deps.billingDirectory.organizationsAfter(after, limit);
    },

    async closeTransferMonth({ organizationId, month: rawMonth }) {
      const month = requireTransferMonth(rawMonth);
      if (clock().getTime() < transferMonthBounds(month).end) {
        throw new DomainError('validation', 'month_not_ended', `the month ${month} has not ended`);
      }
      const monthStream = streamIds.transferMonth(organizationId, month);
      const loaded = await streams.executor.load(monthStream, transferMonthDecider);
      if (loaded.state.status === 'closed') return resultOf(loaded.state.closed);

      const servers = await serverMonths(organizationId, month);
      const bill = transferMonthBill(month, servers, transferPriceAt(await prices(), month));
      let chargeId: string | null = null;
      let outcome: TransferMonthClosed['data']['outcome'] = 'nothing_owed';
      if (bill.amount > 0n) {
        chargeId = transferChargeId(organizationId, month);
        // Paid now, or kept as the wallet's debt (collected by its next credit): one charge id, whichever path.
        const event = await streams.recordDebt({
          organizationId,
          chargeId,
          amount: bill.amount,
          description: `Network transfer ${month}: ${bill.overageBytes} bytes over the pooled allowance`,
          subject: transferChargeSubject(bill),
        });
        outcome = event?.type === 'WalletCharged' ? 'charged' : 'debt';
      }
      const closed = await streams.executor.execute<
        TransferMonthState,
        CloseTransferMonth,
        TransferMonthClosed
      >({
        streamId: monthStream,
        decider: transferMonthDecider,
        context: activityContext(),
        idempotencyKey: `transfermonth:${organizationId}:${month}`,
        command: (_state, metadata) => ({
          type: 'CloseTransferMonth',
          data: { organizationId, bill, chargeId, outcome },
          metadata,
        }),
      });
      const state = closed.state;
      if (state.status !== 'closed')
        throw new Error(`transfer month ${month} of ${organizationId} not closed`);
      log.info('activities: transfer month closed', {
        organizationId,
        month,
        outcome: state.closed.outcome,
        amount: formatMoney(bill.amount),
      });
      return resultOf(state.closed);
    },
  };
}
