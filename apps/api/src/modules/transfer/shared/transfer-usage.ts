import { Inject, Injectable } from '@nestjs/common';
import {
  evolveServerTransfer,
  formatMoney,
  money,
  streams,
  transferMonthBill,
  transferMonthBounds,
  transferMonthDecider,
  transferPriceAt,
  type ServerTransfer,
  type TimedTransferPrice,
  type TransferMeasured,
  type TransferMonthClosed,
} from '@stratus/domain';
import type { EventStore } from '@stratus/eventstore';
import { EVENT_STORE } from '../../../shared/event-sourcing/tokens';
import type { TransferDayDto, TransferMonthClosedDto } from './transfer.dto';

/** One server's month: its measurements folded, and the bytes of each day (from the counter's growth). */
export interface ServerMonthUsage {
  month: ServerTransfer | null;
  days: TransferDayDto[];
}

const DAY_MS = 86_400_000;

/**
 * Reads transfer from its streams (one per server and month, a few hundred events at most): what a server used, an
 * organization's pool, the staff's price, and the month's close. The same rules as the month close
 * (transferMonthBill, transferPriceAt), so what the customer sees is what will be billed.
 */
@Injectable()
export class TransferUsageReader {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  /**
   * A server's month of an organization. Days: each day of the month up to `until` with the bytes counted that day
   * (the largest counter by its end minus the one before it; a day without a measurement counts 0 and its bytes
   * show on the next day measured).
   */
  async serverMonth(
    organizationId: string,
    vpsId: string,
    month: string,
    until: Date,
  ): Promise<ServerMonthUsage> {
    const { start, end } = transferMonthBounds(month);
    const last = Math.min(end, until.getTime() + 1);
    const dayCount = Math.max(0, Math.ceil((last - start) / DAY_MS));
    const largestByDay: bigint[] = Array.from({ length: dayCount }, () => 0n);
    let folded: ServerTransfer | null = null;
    for (const event of await this.eventStore.readStream(streams.transfer(vpsId, month))) {
      if (event.type !== 'TransferMeasured') continue;
      const measured = { type: event.type, data: event.data } as TransferMeasured;
      if (measured.data.organizationId !== organizationId) continue;
      folded = evolveServerTransfer(folded, measured);
      const day = Math.floor((Date.parse(measured.data.hour) - start) / DAY_MS);
      const used = BigInt(measured.data.usedBytes);
      if (day >= 0 && day < dayCount && used > largestByDay[day]) largestByDay[day] = used;
    }
    const days: TransferDayDto[] = [];
    let before = 0n;
    for (let day = 0; day < dayCount; day += 1) {
      const upTo = largestByDay[day] > before ? largestByDay[day] : before;
      days.push({
        date: new Date(start + day * DAY_MS).toISOString().slice(0, 10),
        usedBytes: (upTo - before).toString(),
      });
      before = upTo;
    }
    return { month: folded, days };
  }

  /** The month's days up to `until`, none counted (an organization without measurements). */
  emptyDays(month: string, until: Date): TransferDayDto[] {
    const { start, end } = transferMonthBounds(month);
    const count = Math.max(0, Math.ceil((Math.min(end, until.getTime() + 1) - start) / DAY_MS));
    return Array.from({ length: count }, (_, day) => ({
      date: new Date(start + day * DAY_MS).toISOString().slice(0, 10),
      usedBytes: '0',
    }));
  }

  async prices(): Promise<TimedTransferPrice[]> {
    return (await this.eventStore.readStream(streams.transferPrice()))
      .filter((event) => event.type === 'TransferPriceSet')
      .map((event) => ({
        pricePerGb: money((event.data as { pricePerGb: string }).pricePerGb),
        occurredAt: event.metadata.occurredAt,
      }));
  }

  /** The price that applies to the month (the one in effect at its end; for the current month, the one now). */
  async priceOf(month: string): Promise<bigint> {
    return transferPriceAt(await this.prices(), month);
  }

  async closed(organizationId: string, month: string): Promise<TransferMonthClosedDto | null> {
    let state = transferMonthDecider.initialState();
    for (const event of await this.eventStore.readStream(streams.transferMonth(organizationId, month))) {
      state = transferMonthDecider.evolve(state, {
        type: event.type,
        data: event.data,
      } as TransferMonthClosed);
    }
    if (state.status !== 'closed') return null;
    const { amount, outcome, chargeId, overageBytes } = state.closed;
    return { amount, outcome, chargeId, overageBytes };
  }

  /** The pool so far and what its overage would cost at `pricePerGb`. */
  bill(month: string, servers: ServerTransfer[], pricePerGb: bigint) {
    const bill = transferMonthBill(month, servers, pricePerGb);
    return {
      usedBytes: bill.usedBytes.toString(),
      allowanceBytes: bill.allowanceBytes.toString(),
      overageBytes: bill.overageBytes.toString(),
      pricePerGb: formatMoney(bill.pricePerGb),
      overageAmount: formatMoney(bill.amount),
    };
  }
}
