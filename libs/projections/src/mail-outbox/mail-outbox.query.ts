import type { Knex } from '@mikro-orm/postgresql';

export interface MailOutboxProblem {
  id: string;
  template: string;
  toAddress: string;
  eventType: string;
  /** failed: refused for good or given up; unconfirmed: committed as sent, the server's 250 never recorded. */
  problem: 'failed' | 'unconfirmed';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** A row as staff list it: never its data (which may hold a sealed link token). */
export interface MailOutboxEntry {
  id: string;
  template: string;
  toAddress: string;
  eventType: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  confirmedAt: Date | null;
}

export interface MailOutboxOverview {
  counts: { pending: number; sending: number; sent: number; failed: number; unconfirmed: number };
  problems: MailOutboxProblem[];
  recent: MailOutboxEntry[];
}

const date = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string | Date);

/** The staff's view of the mail outbox: counts by state, the newest rows that need a look, the newest rows. */
export async function mailOutboxOverview(knex: Knex, limit = 100): Promise<MailOutboxOverview> {
  const unconfirmed = `status = 'sent' and confirmed_at is null and sent_at < now() - interval '1 minute'`;
  const [countRows, problemRows, recentRows] = await Promise.all([
    knex.raw(
      `select status, count(*)::int as n, count(*) filter (where ${unconfirmed})::int as unconfirmed
         from mail_outbox group by status`,
    ),
    knex.raw(
      `select id, template, to_address, event_type, status, attempts, last_error, created_at from mail_outbox
        where status = 'failed' or (${unconfirmed}) order by created_at desc, id limit ?`,
      [limit],
    ),
    knex.raw(
      `select id, template, to_address, event_type, status, attempts, last_error, created_at, sent_at, confirmed_at
         from mail_outbox order by created_at desc, id limit ?`,
      [limit],
    ),
  ]);
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0, unconfirmed: 0 };
  for (const row of countRows.rows as { status: keyof typeof counts; n: number; unconfirmed: number }[]) {
    counts[row.status] = row.n;
    counts.unconfirmed += row.unconfirmed;
  }
  return {
    counts,
    problems: (problemRows.rows as Record<string, unknown>[]).map((row) => ({
      id: String(row.id),
      template: String(row.template),
      toAddress: String(row.to_address),
      eventType: String(row.event_type),
      problem: row.status === 'failed' ? 'failed' : 'unconfirmed',
      attempts: Number(row.attempts),
      lastError: (row.last_error as string | null) ?? null,
      createdAt: new Date(row.created_at as string | Date),
    })),
    recent: (recentRows.rows as Record<string, unknown>[]).map((row) => ({
      id: String(row.id),
      template: String(row.template),
      toAddress: String(row.to_address),
      eventType: String(row.event_type),
      status: row.status as MailOutboxEntry['status'],
      attempts: Number(row.attempts),
      lastError: (row.last_error as string | null) ?? null,
      createdAt: new Date(row.created_at as string | Date),
      sentAt: date(row.sent_at),
      confirmedAt: date(row.confirmed_at),
    })),
  };
}
