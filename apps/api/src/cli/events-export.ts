/**
 * `npm run events:export -- [options]`: the admin event history as JSON Lines (one event per line, shaped
 * and redacted exactly like GET /api/admin/events/export), read from the event_log read model at
 * DATABASE_URL, written to stdout or --out.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Position } from '@stratus/eventstore';
import { CONFIG_SCHEMA } from '@stratus/infra';
import {
  createProjectionsOrm,
  EventLogQueryError,
  exportEventLog,
  parseCursor,
  parseEventLogFilter,
  writeNdjson,
  type EventLogFilter,
  type RawParams,
} from '@stratus/projections';
import { parsePosition } from '@stratus/eventstore';

export const EVENTS_EXPORT_USAGE = `Usage: npm run events:export -- [options]

Writes the event history (event_log read model) as JSON Lines, oldest first, passwords and secrets redacted.
Reads DATABASE_URL from the environment, like the API.

Options (all optional; every filter given must match):
  --from <ISO time | position>  events at or after this time (e.g. 2026-11-01T00:00:00Z),
                                or after this position "commit/prepare" (exclusive; resume an export)
  --to <ISO time>               events before this time (exclusive)
  --stream <id>                 one stream, e.g. wallet-<organizationId>
  --stream-prefix <prefix>      streams starting with it, e.g. vps-
  --type <Type>                 event type; repeat or comma-separate for several
  --organization <id>           the organization's events, its wallet's and its servers'
  --correlation <id>            everything one request caused
  --actor <userId>              events recorded by this user
  --out <file>                  write there instead of stdout
  --help                        this text
`;

/** Option → the shared filter's parameter name. */
const FILTER_OPTIONS: Record<string, string> = {
  '--to': 'to',
  '--stream': 'stream',
  '--stream-prefix': 'streamPrefix',
  '--type': 'type',
  '--organization': 'organizationId',
  '--correlation': 'correlationId',
  '--actor': 'actorUserId',
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface EventsExportArgs {
  help: boolean;
  filter: EventLogFilter;
  after: Position | null;
  out: string | null;
}

/** Parses argv (without node and the script); throws UsageError with one clear line. */
export function parseEventsExportArgs(argv: readonly string[]): EventsExportArgs {
  const params: RawParams = {};
  const types: string[] = [];
  let from: string | undefined;
  let out: string | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name !== '--from' && name !== '--out' && !(name in FILTER_OPTIONS)) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)} (see --help)`);
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`${name} needs a value (see --help)`);
    }
    if (name === '--from') {
      if (from !== undefined) throw new UsageError('--from given twice');
      from = value;
    } else if (name === '--out') {
      if (out !== null) throw new UsageError('--out given twice');
      out = value;
    } else if (name === '--type') {
      types.push(value);
    } else {
      const key = FILTER_OPTIONS[name];
      if (params[key] !== undefined) throw new UsageError(`${name} given twice`);
      params[key] = value;
    }
  }
  if (types.length > 0) params.type = types;
  let after: Position | null = null;
  if (from !== undefined) {
    if (parsePosition(from)) after = wrap('--from', () => parseCursor('from', from));
    else params.from = from;
  }
  const filter = wrap('', () => parseEventLogFilter(params));
  return { help, filter, after, out };
}

const OPTION_OF_FIELD = Object.fromEntries([
  ...Object.entries(FILTER_OPTIONS).map(([option, field]) => [field, option]),
  ['from', '--from'],
]);

function wrap<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof EventLogQueryError) {
      const name = option || OPTION_OF_FIELD[error.field] || error.field;
      // The shared parser names query parameters; name the CLI's options instead.
      const message = error.message.replace(new RegExp(`^${error.field}\\b`), name);
      throw new UsageError(message.startsWith(name) ? message : `${name}: ${message}`);
    }
    throw error;
  }
}

export interface EventsExportIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** The CLI, in-process: returns the exit code (0 done, 2 bad arguments or configuration, 1 failure). */
export async function eventsExport(
  argv: readonly string[],
  io: EventsExportIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const fail = (code: number, line: string) => {
    io.stderr.write(`events:export: ${line}\n`);
    return code;
  };
  let args: EventsExportArgs;
  try {
    args = parseEventsExportArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(2, error.message);
    throw error;
  }
  if (args.help) {
    io.stdout.write(EVENTS_EXPORT_USAGE);
    return 0;
  }
  const databaseUrl = io.env.DATABASE_URL;
  if (!databaseUrl) return fail(2, `DATABASE_URL is required (${CONFIG_SCHEMA.DATABASE_URL.description})`);
  const problem = CONFIG_SCHEMA.DATABASE_URL.validate?.(databaseUrl);
  if (problem) return fail(2, `DATABASE_URL ${problem}`);

  let orm;
  try {
    orm = await createProjectionsOrm(databaseUrl, { poolMax: 2, overrides: { logger: () => undefined } });
  } catch (error) {
    return fail(1, `cannot connect to DATABASE_URL: ${describe(error)}`);
  }
  const file = args.out === null ? null : createWriteStream(args.out, { flags: 'w' });
  const out = file ?? io.stdout;
  try {
    const knex = orm.em.getConnection().getKnex();
    const table = await knex.raw(`select to_regclass('event_log') as t`);
    if (!(table.rows as { t: string | null }[])[0]?.t) {
      return fail(1, 'the database has no event_log table: start the API or the workers once to migrate it');
    }
    const lines = await writeNdjson(exportEventLog(knex, args.filter, { after: args.after }), out);
    if (file) {
      file.end();
      await finished(file);
      io.stderr.write(`events:export: ${lines} event(s) written to ${args.out}\n`);
    }
    return 0;
  } catch (error) {
    file?.destroy();
    return fail(1, describe(error));
  } finally {
    await orm.close(true).catch(() => undefined);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

if (require.main === module) {
  eventsExport(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`events:export: ${describe(error)}\n`);
      process.exitCode = 1;
    },
  );
}
