import { assertNever, DomainError, type Command, type Decider, type DomainEvent } from '../shared/decider';
import { formatMoney, money, parseMoney, type MoneyString } from '../money/money';

/**
 * Network transfer: measured hourly from the provider, pooled per organization per calendar month (UTC), and the
 * bytes past the pool's allowance billed once at the month's close.
 *
 * The rules (the month-close workflow and the billing reconciliation both use them):
 * - A server's bytes of a month are the largest cumulative counter measured for it in that month (the provider's
 *   `used`, bytes, reset at each month start): a missed hour loses nothing, the next measurement covers it.
 * - A server's allowance is the provider's `quota` (whole GB) last measured in the month: its plan's transferGb,
 *   prorated by the provider for the part of the month the server exists (as Linode does).
 * - The organization's pool: used = Σ servers' bytes, allowance = Σ quotas × 10^9 bytes (1 GB = 10^9 bytes, the
 *   provider's unit), overage = max(0, used − allowance).
 * - Price: micro-dollars per GB (10^9 bytes) set by staff, the one in effect at the month's end (the last set
 *   before it), DEFAULT_TRANSFER_PRICE_PER_GB until staff set one.
 * - Amount = overage bytes × price / 10^9, rounded half-up to the micro-dollar once, per organization per month.
 *   Bytes stay exact integers (bigint) throughout; nothing is rounded to MB or GB before that.
 */
export const BYTES_PER_GB = 1_000_000_000n;
/** $0.005 per GB until staff set a price (the provider's own overage price). */
export const DEFAULT_TRANSFER_PRICE_PER_GB = 5_000n;
/** The largest price staff can set: $100 per GB. */
export const MAX_TRANSFER_PRICE_PER_GB = 100_000_000n;

/** A calendar month, UTC, 'YYYY-MM'. */
export type TransferMonth = string;
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isTransferMonth(value: unknown): value is TransferMonth {
  return typeof value === 'string' && MONTH_PATTERN.test(value);
}

/** The month (UTC) an instant lies in. */
export function transferMonthOf(instant: Date | string | number): TransferMonth {
  return new Date(instant).toISOString().slice(0, 7);
}

/** [start, end) of a month, as epoch milliseconds. */
export function transferMonthBounds(month: TransferMonth): { start: number; end: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { start: Date.UTC(year, index, 1), end: Date.UTC(year, index + 1, 1) };
}

/** The month before `month`. */
export function previousTransferMonth(month: TransferMonth): TransferMonth {
  return transferMonthOf(transferMonthBounds(month).start - 1);
}

/** The hour (UTC, ISO instant at its start) an instant lies in: one measurement per server per hour. */
export function transferHourOf(instant: Date | string | number): string {
  const ms = new Date(instant).getTime();
  return new Date(ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000)).toISOString();
}

/** The month's overage charge (one per organization per month): `transfer-<organizationId>:<YYYY-MM>`. */
export const transferChargeId = (organizationId: string, month: TransferMonth) =>
  `transfer-${organizationId}:${month}`;

export function parseTransferChargeId(
  chargeId: string,
): { organizationId: string; month: TransferMonth } | null {
  if (!chargeId.startsWith('transfer-')) return null;
  const colon = chargeId.lastIndexOf(':');
  if (colon <= 'transfer-'.length) return null;
  const month = chargeId.slice(colon + 1);
  if (!isTransferMonth(month)) return null;
  return { organizationId: chargeId.slice('transfer-'.length, colon), month };
}

// ------------------------------------------------------------------ measurements

/** One hourly reading of a server's provider counters (stream `streams.transfer(vpsId, month)`). */
export type TransferMeasured = DomainEvent<
  'TransferMeasured',
  {
    vpsId: string;
    organizationId: string;
    month: TransferMonth;
    /** The hour measured (ISO instant at its start). */
    hour: string;
    /** The provider's cumulative counter of the month, bytes, decimal string (exact). */
    usedBytes: string;
    /** The provider's quota of the server for the month, whole GB. */
    quotaGb: number;
  }
>;

/** One server's month so far, folded from its measurements. */
export interface ServerTransfer {
  vpsId: string;
  organizationId: string;
  month: TransferMonth;
  usedBytes: bigint;
  quotaGb: number;
  /** The latest hour measured (its quota is the one counted). */
  lastHour: string;
  measurements: number;
}

/** Folds one measurement into a server's month (the largest counter, the latest quota). */
export function evolveServerTransfer(server: ServerTransfer | null, event: TransferMeasured): ServerTransfer {
  const { vpsId, organizationId, month, hour, quotaGb } = event.data;
  const used = BigInt(event.data.usedBytes);
  if (server === null) {
    return { vpsId, organizationId, month, usedBytes: used, quotaGb, lastHour: hour, measurements: 1 };
  }
  return {
    ...server,
    usedBytes: used > server.usedBytes ? used : server.usedBytes,
    quotaGb: hour >= server.lastHour ? quotaGb : server.quotaGb,
    lastHour: hour >= server.lastHour ? hour : server.lastHour,
    measurements: server.measurements + 1,
  };
}

/** The bytes counter the provider reported, validated: a non-negative safe integer (bytes). */
export function parseUsedBytes(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^(0|[1-9]\d{0,30})$/.test(value)) return BigInt(value);
  throw new RangeError(`transfer counter is not a non-negative integer: ${String(value)}`);
}

export interface TransferPool {
  usedBytes: bigint;
  allowanceBytes: bigint;
  overageBytes: bigint;
}

/** The organization's pool of a month from its servers' months. */
export function transferPool(servers: Iterable<Pick<ServerTransfer, 'usedBytes' | 'quotaGb'>>): TransferPool {
  let usedBytes = 0n;
  let allowanceBytes = 0n;
  for (const server of servers) {
    usedBytes += server.usedBytes;
    allowanceBytes += BigInt(server.quotaGb) * BYTES_PER_GB;
  }
  const overageBytes = usedBytes > allowanceBytes ? usedBytes - allowanceBytes : 0n;
  return { usedBytes, allowanceBytes, overageBytes };
}

/** Micro-dollars for `overageBytes` at `pricePerGb` micro-dollars per 10^9 bytes, rounded half-up once. */
export function transferOverageAmount(overageBytes: bigint, pricePerGb: bigint): bigint {
  if (overageBytes < 0n || pricePerGb < 0n) throw new RangeError('overage and price must not be negative');
  return (overageBytes * pricePerGb + BYTES_PER_GB / 2n) / BYTES_PER_GB;
}

/** What an organization owes for a month's transfer. */
export interface TransferMonthBill extends TransferPool {
  month: TransferMonth;
  pricePerGb: bigint;
  amount: bigint;
  servers: number;
}

export function transferMonthBill(
  month: TransferMonth,
  servers: readonly Pick<ServerTransfer, 'usedBytes' | 'quotaGb'>[],
  pricePerGb: bigint,
): TransferMonthBill {
  const pool = transferPool(servers);
  return {
    month,
    ...pool,
    pricePerGb,
    amount: transferOverageAmount(pool.overageBytes, pricePerGb),
    servers: servers.length,
  };
}

/** The charge's subject on the wallet (strings only): what was billed, for statements and support. */
export function transferChargeSubject(bill: TransferMonthBill): Record<string, string> {
  return {
    kind: 'transfer',
    month: bill.month,
    usedBytes: bill.usedBytes.toString(),
    allowanceBytes: bill.allowanceBytes.toString(),
    overageBytes: bill.overageBytes.toString(),
    pricePerGb: formatMoney(bill.pricePerGb),
  };
}

// ------------------------------------------------------------------ month close record

/** The month closed for an organization (stream `streams.transferMonth(organizationId, month)`, one event). */
export type TransferMonthClosed = DomainEvent<
  'TransferMonthClosed',
  {
    organizationId: string;
    month: TransferMonth;
    servers: number;
    usedBytes: string;
    allowanceBytes: string;
    overageBytes: string;
    pricePerGb: MoneyString;
    amount: MoneyString;
    /** Null when nothing was owed (no charge made). */
    chargeId: string | null;
    /** 'charged' | 'debt' (the wallet could not pay: kept as its debt) | 'nothing_owed'. */
    outcome: 'charged' | 'debt' | 'nothing_owed';
  }
>;

// ------------------------------------------------------------------ staff price

export type TransferPriceSet = DomainEvent<
  'TransferPriceSet',
  { pricePerGb: MoneyString; previous: MoneyString }
>;
export type TransferPriceEvent = TransferPriceSet;

export type SetTransferPrice = Command<'SetTransferPrice', { pricePerGb: unknown }>;

export type TransferPriceState =
  { status: 'default'; pricePerGb: bigint } | { status: 'set'; pricePerGb: bigint; changes: number };

/** The staff's overage price (stream `streams.transferPrice()`): one price for the platform. */
export const transferPriceDecider: Decider<TransferPriceState, SetTransferPrice, TransferPriceEvent> = {
  initialState: () => ({ status: 'default', pricePerGb: DEFAULT_TRANSFER_PRICE_PER_GB }),
  evolve(state, event) {
    switch (event.type) {
      case 'TransferPriceSet':
        return {
          status: 'set',
          pricePerGb: money(event.data.pricePerGb),
          changes: state.status === 'set' ? state.changes + 1 : 1,
        };
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state) {
    const price = parseMoney(command.data.pricePerGb, {
      field: 'pricePerGb',
      allowZero: true,
      max: MAX_TRANSFER_PRICE_PER_GB,
    });
    switch (state.status) {
      case 'default':
      case 'set':
        if (state.status === 'set' && state.pricePerGb === price) return [];
        return [
          {
            type: 'TransferPriceSet',
            data: { pricePerGb: formatMoney(price), previous: formatMoney(state.pricePerGb) },
          },
        ];
      default:
        return assertNever(state);
    }
  },
};

/** The staff's price changes, in order, with when each was recorded. */
export interface TimedTransferPrice {
  pricePerGb: bigint;
  occurredAt: string;
}

/** The price in effect at a month's end: the last set before it, else the default. */
export function transferPriceAt(changes: readonly TimedTransferPrice[], month: TransferMonth): bigint {
  const { end } = transferMonthBounds(month);
  let price = DEFAULT_TRANSFER_PRICE_PER_GB;
  let at = -Infinity;
  for (const change of changes) {
    const when = Date.parse(change.occurredAt);
    if (when < end && when >= at) {
      price = change.pricePerGb;
      at = when;
    }
  }
  return price;
}

/** Validation error of a month given by a client. */
export function requireTransferMonth(value: unknown, field = 'month'): TransferMonth {
  if (!isTransferMonth(value)) {
    throw new DomainError('validation', 'invalid_month', `${field} must be a month YYYY-MM`, { field });
  }
  return value;
}

// ------------------------------------------------------------------ deciders of the streams

export type RecordTransferMeasurement = Command<
  'RecordTransferMeasurement',
  { vpsId: string; organizationId: string; hour: string; usedBytes: bigint; quotaGb: number }
>;

export type TransferMeterState = { status: 'empty' } | { status: 'measuring'; server: ServerTransfer };

/**
 * A server's month of measurements (`streams.transfer(vpsId, month)`). An hour already measured records nothing
 * (the activity that measured it ran again); a counter lower than one already recorded is kept as measured (the
 * month's bytes are the largest: evolveServerTransfer).
 */
export const transferMeterDecider: Decider<TransferMeterState, RecordTransferMeasurement, TransferMeasured> =
  {
    initialState: () => ({ status: 'empty' }),
    evolve(state, event) {
      switch (event.type) {
        case 'TransferMeasured':
          return {
            status: 'measuring',
            server: evolveServerTransfer(state.status === 'measuring' ? state.server : null, event),
          };
        default:
          return assertNever(event.type);
      }
    },
    decide(command, state) {
      const { vpsId, organizationId, usedBytes, quotaGb } = command.data;
      const hour = transferHourOf(command.data.hour);
      if (usedBytes < 0n || !Number.isSafeInteger(quotaGb) || quotaGb < 0) {
        throw new DomainError('validation', 'invalid_transfer', 'counters must be non-negative integers');
      }
      const month = transferMonthOf(hour);
      switch (state.status) {
        case 'empty':
          break;
        case 'measuring':
          if (state.server.month !== month || state.server.vpsId !== vpsId) {
            throw new DomainError('validation', 'wrong_stream', `hour ${hour} is not in this server's month`);
          }
          if (state.server.lastHour === hour) return [];
          break;
        default:
          return assertNever(state);
      }
      return [
        {
          type: 'TransferMeasured',
          data: { vpsId, organizationId, month, hour, usedBytes: usedBytes.toString(), quotaGb },
        },
      ];
    },
  };

export type CloseTransferMonth = Command<
  'CloseTransferMonth',
  {
    organizationId: string;
    bill: TransferMonthBill;
    chargeId: string | null;
    outcome: TransferMonthClosed['data']['outcome'];
  }
>;

export type TransferMonthState =
  { status: 'open' } | { status: 'closed'; closed: TransferMonthClosed['data'] };

/** An organization's transfer month (`streams.transferMonth(organizationId, month)`): closed once. */
export const transferMonthDecider: Decider<TransferMonthState, CloseTransferMonth, TransferMonthClosed> = {
  initialState: () => ({ status: 'open' }),
  evolve(_state, event) {
    switch (event.type) {
      case 'TransferMonthClosed':
        return { status: 'closed', closed: event.data };
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state) {
    switch (state.status) {
      case 'closed':
        return [];
      case 'open': {
        const { bill, organizationId, chargeId, outcome } = command.data;
        return [
          {
            type: 'TransferMonthClosed',
            data: {
              organizationId,
              month: bill.month,
              servers: bill.servers,
              usedBytes: bill.usedBytes.toString(),
              allowanceBytes: bill.allowanceBytes.toString(),
              overageBytes: bill.overageBytes.toString(),
              pricePerGb: formatMoney(bill.pricePerGb),
              amount: formatMoney(bill.amount),
              chargeId,
              outcome,
            },
          },
        ];
      }
      default:
        return assertNever(state);
    }
  },
};
