/**
 * `npm run billing:replay -- --from <ISO> --to <ISO> [--organization <id>] [--json]`: the billing reconciliation
 * report (the same engine as POST /api/admin/billing/reconciliations' job: organization by organization from
 * their own streams, replayOrganizations) over the event store and read models at DATABASE_URL, printed as it
 * goes, not stored. Memory holds one organization's replay at a time, whatever the size of the history.
 */
import type { Writable } from 'node:stream';
import {
  addReconciliationSummaries,
  DISCREPANCY_KINDS,
  DomainError,
  emptyReconciliationSummary,
  isDiscrepancyKind,
  RECONCILIATION_LINE_KINDS,
  replayOrganizations,
  type ReconciliationLine,
  type ReconciliationReport,
  type ReconciliationSummary,
} from '@stratus/domain';
import { PostgresEventStore } from '@stratus/eventstore';
import { CONFIG_SCHEMA } from '@stratus/infra';
import { postgresBillingDirectory } from '@stratus/projections';
import { Pool } from 'pg';
import { parseReplayWindow } from '../modules/admin-billing/shared/billing-replay';

export const BILLING_REPLAY_USAGE = `Usage: npm run billing:replay -- --from <ISO> --to <ISO> [--organization <id>] [--json]

Replays billing over the event history, organization by organization: what every server owed for the periods
due in [from, to) (from its events: no charge while suspended nor after deletion) against what its wallet was
charged, net of refunds and of staff adjustments referencing the charge. Prints one line per discrepancy (and
per unpaid period) as each organization is replayed, then the summary. Nothing is stored: to keep a run and
resolve its lines, use POST /api/admin/billing/reconciliations. Reads DATABASE_URL (the event store and the
API's read models, which list the organizations and their servers) and BILLING_PERIOD_SECONDS from the
environment, like the API.

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

type ReportHeader = Pick<ReconciliationReport, 'from' | 'to' | 'organizationId' | 'periodSeconds'>;

/** Writes a report as its lines arrive, organization by organization: nothing but the summary is kept. */
export interface ReportWriter {
  lines(lines: readonly ReconciliationLine[]): string;
  end(summary: ReconciliationSummary): string;
}

/** The report as JSON (the API's report shape: window, lines, summary), one line object per row. */
export function jsonReportWriter(header: ReportHeader): ReportWriter {
  let first = true;
  const opening = `{\n${Object.entries(header)
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`)
    .join('')}  "lines": [`;
  let started = false;
  const start = () => (started ? '' : ((started = true), opening));
  return {
    lines(lines) {
      let out = start();
      for (const line of lines) {
        out += `${first ? '\n' : ',\n'}    ${JSON.stringify(line)}`;
        first = false;
      }
      return out;
    },
    end(summary) {
      const indented = JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ');
      return `${start()}${first ? '' : '\n  '}],\n  "summary": ${indented}\n}\n`;
    },
  };
}

/** Column widths of the table: ids and instants have fixed lengths; amounts are right-aligned in 14. */
const TABLE_COLUMNS: readonly [string, number][] = [
  ['kind', Math.max(...RECONCILIATION_LINE_KINDS.map((k) => k.length))],
  ['organization', 36],
  ['server or payment', 44],
  ['period start', 24],
  ['expected', 14],
  ['charged', 14],
  ['difference', 14],
  ['line', 0],
];

const tableRow = (cells: readonly string[]) =>
  cells
    .map((cell, i) => {
      const width = TABLE_COLUMNS[i][1];
      return i >= 4 && i <= 6 ? cell.padStart(width) : cell.padEnd(width);
    })
    .join('  ')
    .trimEnd();

/**
 * The human report: the window, a fixed-width table of the lines as each organization is replayed (its
 * discrepancies first, then what it owes), then the summary.
 */
export function tableReportWriter(header: ReportHeader): ReportWriter {
  let started = false;
  let rows = 0;
  const title =
    `Billing replay ${header.from} → ${header.to}` +
    (header.organizationId ? ` (organization ${header.organizationId})` : ' (all organizations)') +
    `, periods of ${header.periodSeconds} s\n`;
  const start = () => (started ? '' : ((started = true), title));
  return {
    lines(lines) {
      let out = start();
      if (lines.length === 0) return out;
      if (rows === 0) {
        out += `\n${tableRow(TABLE_COLUMNS.map(([name]) => name))}\n`;
        out += `${tableRow(TABLE_COLUMNS.map(([name, width]) => '-'.repeat(Math.max(width, name.length))))}\n`;
      }
      const ordered = [...lines].sort(
        (a, b) => Number(isDiscrepancyKind(b.kind)) - Number(isDiscrepancyKind(a.kind)),
      );
      for (const l of ordered) {
        out += `${tableRow([l.kind, l.organizationId, l.vpsId ?? `payment ${l.paymentId ?? '?'}`, l.periodStart, l.expected, l.charged, l.difference, l.lineId])}\n`;
      }
      rows += lines.length;
      return out;
    },
    end(summary) {
      const discrepancies = DISCREPANCY_KINDS.reduce((n, k) => n + summary.discrepancies[k], 0);
      const out = [
        '',
        `Servers: ${summary.servers}   expected: ${summary.expectedTotal}   charged: ${summary.chargedTotal}`,
        `Discrepancies: ${discrepancies}` +
          DISCREPANCY_KINDS.filter((k) => summary.discrepancies[k] > 0)
            .map((k) => `  ${k}: ${summary.discrepancies[k]}`)
            .join(''),
        `Unpaid periods (not billing errors): ${summary.unpaid}`,
      ];
      if (rows === 0) out.push('', 'No discrepancies.');
      return `${start()}${out.join('\n')}\n`;
    },
  };
}

/** Writes to the stream, waiting while its buffer is full (a slow reader must not grow the process). */
function writeTo(stream: Writable, text: string): Promise<void> {
  if (text === '' || stream.write(text)) return Promise.resolve();
  return new Promise((resolve) => stream.once('drain', resolve));
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
    const tables = await pool.query<{
      events: string | null;
      organizations: string | null;
      servers: string | null;
      payments: string | null;
    }>(
      `select to_regclass('eventstore.events') as events, to_regclass('organizations') as organizations,
              to_regclass('vps_servers') as servers, to_regclass('payments') as payments`,
    );
    if (!tables.rows[0]?.events) {
      return fail(1, 'the database has no event store (eventstore.events): is DATABASE_URL the right one?');
    }
    if (!tables.rows[0]?.organizations || !tables.rows[0]?.servers || !tables.rows[0]?.payments) {
      return fail(
        1,
        'the database has no read models (organizations, vps_servers, payments) to list what to replay: run the API once to migrate them, or is DATABASE_URL the right one?',
      );
    }
    const header = { from: args.from, to: args.to, organizationId: args.organizationId, periodSeconds };
    const writer = args.json ? jsonReportWriter(header) : tableReportWriter(header);
    const directory = postgresBillingDirectory((text, values) => pool.query(text, values));
    let summary = emptyReconciliationSummary();
    for await (const { report } of replayOrganizations(store, directory, header)) {
      summary = addReconciliationSummaries(summary, report.summary);
      await writeTo(io.stdout, writer.lines(report.lines));
    }
    await writeTo(io.stdout, writer.end(summary));
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
