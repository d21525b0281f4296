/**
 * The simulator's network transfer counters (GET /linode/instances/{id}/transfer[/{year}/{month}]): deterministic,
 * a function of the instance and the simulator's clock, so tests can predict them, and settable through
 * PUT /__sim/instances/{id}/transfer (tests that need an exact counter, or one that stands still).
 *
 * A counter counts the month (UTC) it is in, from 0 at the month's start (or the instance's creation): it grows by
 * the instance's rate (bytes per second; default from its id, ~0.1-0.16 MB/s) from the last value set. Linode's
 * `quota` is the type's transfer (GB) prorated by the hours the instance exists in the month (from its creation to
 * the month's end), rounded down; `billable` the GB past it, rounded up (Linode answers whole GB).
 */
const HOUR_MS = 3_600_000;

export interface TransferSetting {
  /** The counter at `at` (bytes). */
  used: number;
  /** Growth from `at` on. */
  bytesPerSecond: number;
  at: number;
}

/** What GET /linode/instances/{id}/transfer answers (the spec: used in bytes, quota and billable in GB). */
export interface LinodeTransferRecord {
  used: number;
  quota: number;
  billable: number;
}

/** GET /linode/instances/{id}/transfer/{year}/{month}: bytes in, out and in total for the month. */
export interface LinodeTransferMonthRecord {
  bytes_in: number;
  bytes_out: number;
  bytes_total: number;
}

const monthStart = (ms: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
const nextMonthStart = (ms: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

/** An instance's default rate: 100,000 to 160,000 bytes per second by its id (~260-415 GB a month). */
export const defaultTransferRate = (instanceId: number) => 100_000 + (instanceId % 7) * 10_000;

export class TransferCounters {
  private readonly settings = new Map<number, TransferSetting>();

  /** Sets an instance's counter now (and its rate from now on; default: unchanged). */
  set(instanceId: number, now: number, used: number, bytesPerSecond?: number): TransferSetting {
    const setting = {
      used,
      bytesPerSecond:
        bytesPerSecond ?? this.settings.get(instanceId)?.bytesPerSecond ?? defaultTransferRate(instanceId),
      at: now,
    };
    this.settings.set(instanceId, setting);
    return setting;
  }

  /** The counter of the month `at` lies in, at `at` (bytes; never past the instance's deletion). */
  usedAt(instance: { id: number; createdMs: number; deletedMs: number | null }, at: number): number {
    const until = instance.deletedMs === null ? at : Math.min(at, instance.deletedMs);
    const start = monthStart(at);
    const setting = this.settings.get(instance.id);
    if (setting && setting.at <= until && monthStart(setting.at) === start) {
      return setting.used + Math.floor(((until - setting.at) * setting.bytesPerSecond) / 1000);
    }
    const rate = setting?.bytesPerSecond ?? defaultTransferRate(instance.id);
    const from = Math.max(start, instance.createdMs);
    return until > from ? Math.floor(((until - from) * rate) / 1000) : 0;
  }

  /** The current month's record at `now`. */
  current(
    instance: { id: number; createdMs: number; deletedMs: number | null; transferGb: number },
    now: number,
  ): LinodeTransferRecord {
    const start = monthStart(now);
    const end = nextMonthStart(now);
    const hours = Math.round((end - start) / HOUR_MS);
    const existing = Math.ceil((end - Math.max(start, instance.createdMs)) / HOUR_MS);
    const quota = Math.floor((instance.transferGb * Math.min(hours, existing)) / hours);
    const used = this.usedAt(instance, now);
    const billable = Math.max(0, Math.ceil((used - quota * 1e9) / 1e9));
    return { used, quota, billable };
  }

  /** A past (or the current) month's totals: its counter at its end (or now); a third of it inbound. */
  month(
    instance: { id: number; createdMs: number; deletedMs: number | null },
    year: number,
    month: number,
    now: number,
  ): LinodeTransferMonthRecord {
    const end = Date.UTC(year, month, 1);
    const total = this.usedAt(instance, Math.min(now, end - 1));
    const bytesIn = Math.floor(total / 3);
    return { bytes_in: bytesIn, bytes_out: total - bytesIn, bytes_total: total };
  }
}
