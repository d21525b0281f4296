/**
 * `npm run billing:replay -- --from <ISO> --to <ISO> [--organization <id>] [--json]`: the billing reconciliation
 * report (the same engine as POST /api/admin/billing/reconciliations) over the event store at DATABASE_URL,
 * printed, not stored.
 */
import type { Writable } from 'node:stream';
import {
  DISCREPANCY_KINDS,
  DomainError,
  isDiscrepancyKind,
  type ReconciliationReport,
} from '@stratus/domain';
import { PostgresEventStore } from '@stratus/eventstore';
import { CONFIG_SCHEMA } from '@stratus/infra';
import { Pool } from 'pg';
import {
  parseReplayWindow,
  postgresReplayCut,
  replayBilling,
} from '../modules/admin-billing/shared/billing-replay';

export const BILLING_REPLAY_USAGE = `Usage: npm run billing:replay -- --from <ISO> --to <ISO> [--organization <id>] [--json]

Replays billing over the event history: what every server owed for the periods due in [from, to) (from its
events: no charge while suspended nor after deletion) against what its wallet was charged, net of refunds and
of staff adjustments referencing the charge. Prints the summary and one line per discrepancy (and per unpaid
period). Nothing is stored: to keep a run and resolve its lines, use POST /api/admin/billing/reconciliations.
Reads DATABASE_URL and BILLING_PERIOD_SECONDS from the environment, like the API.

Options:
  --from <ISO time>       periods due at or after this instant, e.g. 2026-11-01T00:00:00Z
  --to <ISO time>         periods due before this instant (at most 366 days after --from)
  --organization <id>     only this organization's servers and wallet
  --json                  the report as JSON (summary and lines) instead of a table
  --help                  this text

Exit status: 0 done (discrepancies or not), 1 failure, 2 bad arguments or configuration.
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface BillingReplayArgs {
  help: boolean;
  json: boolean;
  from: string;
  to: string;
  organizationId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses argv (without node and the script); throws UsageError with one clear line. */
export function parseBillingReplayArgs(argv: readonly string[]): BillingReplayArgs {
  const values: Record<string, string> = {};
  let help = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--json') {
      json = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name !== '--from' && name !== '--to' && name !== '--organization') {
      throw new UsageError(`unknown option ${JSON.stringify(arg)} (see --help)`);
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`${name} needs a value (see --help)`);
    }
    if (values[name] !== undefined) throw new UsageError(`${name} given twice`);
    values[name] = value;
  }
  if (help) return { help, json, from: '', to: '', organizationId: null };
  if (values['--from'] === undefined) throw new UsageError('--from is required (see --help)');
  if (values['--to'] === undefined) throw new UsageError('--to is required (see --help)');
  let window: { from: string; to: string };
  try {
    window = parseReplayWindow(values['--from'], values['--to']);
  } catch (error) {
    // The shared validation names the API's fields: name the options instead.
    if (error instanceof DomainError) throw new UsageError(error.message.replace(/\b(from|to)\b/g, '--$1'));
    throw error;
  }
  const organizationId = values['--organization'] ?? null;
  if (organizationId !== null && !UUID.test(organizationId)) {
    throw new UsageError('--organization must be an organization id (a uuid)');
  }
  return { help, json, ...window, organizationId: organizationId?.toLowerCase() ?? null };
}

/** The human report: summary, then a fixed-width table of the lines. */
export function formatReport(report: ReconciliationReport): string {
  const { summary } = report;
  const out: string[] = [
    `Billing replay ${report.from} → ${report.to}` +
      (report.organizationId ? ` (organization ${report.organizationId})` : ' (all organizations)') +
      `, periods of ${report.periodSeconds} s`,
    `Servers: ${summary.servers}   expected: ${summary.expectedTotal}   charged: ${summary.chargedTotal}`,
    `Discrepancies: ${DISCREPANCY_KINDS.reduce((n, k) => n + summary.discrepancies[k], 0)}` +
      DISCREPANCY_KINDS.filter((k) => summary.discrepancies[k] > 0)
        .map((k) => `  ${k}: ${summary.discrepancies[k]}`)
        .join(''),
    `Unpaid periods (not billing errors): ${summary.unpaid}`,
  ];
  if (report.lines.length === 0) {
    out.push('', 'No discrepancies.');
    return `${out.join('\n')}\n`;
  }
  const header = [
    'kind',
    'organization',
    'server / payment',
    'period start',
    'expected',
    'charged',
    'difference',
    'line',
  ];
  const rows = [...report.lines]
    .sort((a, b) => Number(isDiscrepancyKind(b.kind)) - Number(isDiscrepancyKind(a.kind)))
    .map((l) => [
      l.kind,
      l.organizationId,
      l.vpsId ?? `payment ${l.paymentId ?? '?'}`,
      l.periodStart,
      l.expected,
      l.charged,
      l.difference,
      l.lineId,
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i >= 4 && i <= 6 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  out.push('', format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format));
  return `${out.join('\n')}\n`;
}

export interface BillingReplayIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** The CLI, in-process: returns the exit code (0 done, 2 bad arguments or configuration, 1 failure). */
export async function billingReplay(
  argv: readonly string[],
  io: BillingReplayIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const fail = (code: number, line: string) => {
    io.stderr.write(`billing:replay: ${line}\n`);
    return code;
  };
  let args: BillingReplayArgs;
  try {
    args = parseBillingReplayArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(2, error.message);
    throw error;
  }
  if (args.help) {
    io.stdout.write(BILLING_REPLAY_USAGE);
    return 0;
  }
  const databaseUrl = io.env.DATABASE_URL;
  if (!databaseUrl) return fail(2, `DATABASE_URL is required (${CONFIG_SCHEMA.DATABASE_URL.description})`);
  const problem = CONFIG_SCHEMA.DATABASE_URL.validate?.(databaseUrl);
  if (problem) return fail(2, `DATABASE_URL ${problem}`);
  const periodText = io.env.BILLING_PERIOD_SECONDS || CONFIG_SCHEMA.BILLING_PERIOD_SECONDS.default || '3600';
  const periodSeconds = Number(periodText);
  if (!/^\d+$/.test(periodText) || periodSeconds <= 0) {
    return fail(2, 'BILLING_PERIOD_SECONDS must be a positive whole number of seconds');
  }

  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined); // an idle client lost: the pool replaces it
  const store = new PostgresEventStore({ pool, ownsPool: true });
  try {
    const schema = await pool.query<{ t: string | null }>(`select to_regclass('eventstore.events') as t`);
    if (!schema.rows[0]?.t) {
      return fail(1, 'the database has no event store (eventstore.events): is DATABASE_URL the right one?');
    }
    const { eventsRead: _eventsRead, ...report } = await replayBilling(
      store,
      { from: args.from, to: args.to, organizationId: args.organizationId, periodSeconds },
      { cut: postgresReplayCut((sql) => pool.query(sql)) },
    );
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return 0;
  } catch (error) {
    return fail(1, describe(error));
  } finally {
    await store.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

if (require.main === module) {
  billingReplay(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`billing:replay: ${describe(error)}\n`);
      process.exitCode = 1;
    },
  );
}
