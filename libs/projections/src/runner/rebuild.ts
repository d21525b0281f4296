import type { Knex } from '@mikro-orm/postgresql';
import { comparePositions, formatPosition, type EventStore, type Position } from '@stratus/eventstore';
import type { ProjectionsOrm } from '../orm';
import type { AnyProjection } from '../projection';
import { findProjection, PROJECTIONS_NOTIFY_CHANNEL } from '../read-models';
import { adoptCheckpoint, createEmptyCheckpoint, deleteCheckpoint, lockCheckpoint } from './checkpoints';
import { ProjectionRunner, type BatchApplied, type ProjectionLogger } from './projection-runner';
import { RowTable } from './row-table';

/**
 * Rebuilds replay every event into a shadow table (`<table>__rebuild`, its own checkpoint
 * `<projection>@rebuild`) while the live table keeps serving reads and the live runner keeps applying
 * new events; then one transaction swaps the shadow in. Readers never see an empty or partial table.
 */

/** Checkpoint row of a projection's rebuild (never listed as a projection). */
export function rebuildCheckpointName(projection: string): string {
  return `${projection}@rebuild`;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const MAX_IDENTIFIER = 63;

function tableNames(orm: ProjectionsOrm, projection: AnyProjection) {
  const live = new RowTable(orm, projection.entity).tableName;
  const names = { live, shadow: `${live}__rebuild`, old: `${live}__old` };
  for (const name of Object.values(names)) {
    if (Buffer.byteLength(name) > MAX_IDENTIFIER) {
      throw new Error(`${projection.name}: table name ${name} is longer than PostgreSQL's 63 bytes`);
    }
  }
  return names;
}

/** A second rebuild of a projection while one runs (the API answers 409). */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor(readonly projection: string) {
    super(`A rebuild of ${projection} is already running`);
  }
}

/** First key of the rebuild advisory locks (the second is hashtext(projection)). */
export const REBUILD_LOCK_CLASS = 734_015_202;

/**
 * Held for a whole rebuild: a session-level advisory lock on a connection of its own. A session lock
 * (not a transaction) so that no transaction stays open for minutes holding back the cluster's xmin,
 * and a crashed process loses it with its connection.
 */
export interface RebuildLock {
  readonly projection: string;
  /** Unlocks and returns the connection (closing it if the unlock fails). Idempotent. */
  release(): Promise<void>;
}

interface RawConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

function knexOf(orm: ProjectionsOrm): Knex {
  return orm.em.getConnection().getKnex();
}

/** Takes the projection's rebuild lock, or returns null when another session holds it. */
export async function tryLockRebuild(orm: ProjectionsOrm, projection: string): Promise<RebuildLock | null> {
  findProjection(projection);
  const client = knexOf(orm).client as {
    acquireConnection(): Promise<RawConnection>;
    releaseConnection(connection: RawConnection): Promise<void>;
  };
  const connection = await client.acquireConnection();
  let locked = false;
  try {
    const result = await connection.query('select pg_try_advisory_lock($1, hashtext($2)) as locked', [
      REBUILD_LOCK_CLASS,
      projection,
    ]);
    locked = result.rows[0]?.locked === true;
  } finally {
    if (!locked) await client.releaseConnection(connection);
  }
  if (!locked) return null;
  let released = false;
  return {
    projection,
    async release() {
      if (released) return;
      released = true;
      try {
        await connection.query('select pg_advisory_unlock($1, hashtext($2))', [
          REBUILD_LOCK_CLASS,
          projection,
        ]);
      } catch {
        // A pooled connection must not keep the lock: close it instead of returning it.
        await connection.end().catch(() => undefined);
      }
      await client.releaseConnection(connection);
    },
  };
}

/** Whether some session (any process) holds the projection's rebuild lock. */
export async function isRebuildRunning(orm: ProjectionsOrm, projection: string): Promise<boolean> {
  const result = await knexOf(orm).raw(
    // pg_locks lists every database's locks; advisory locks belong to one (another database on the server may
    // be rebuilding its own projection of the same name).
    `select exists (select 1 from pg_locks
                     where locktype = 'advisory' and granted and objsubid = 2
                       and database = (select oid from pg_database where datname = current_database())
                       and classid = ?::int4::oid and objid = hashtext(?)::oid) as running`,
    [REBUILD_LOCK_CLASS, projection],
  );
  return (result.rows[0] as { running: boolean }).running;
}

export interface RebuildOptions {
  /** Events per transaction (PROJECTION_BATCH_SIZE). */
  batchSize?: number;
  logger?: ProjectionLogger;
  /** Stops the replay between batches; the shadow is left for the next rebuild to drop. */
  signal?: AbortSignal;
  /** After each batch committed into the shadow table. */
  onBatch?: (batch: BatchApplied) => void;
  /** Lock wait allowed to each swap attempt (readers in flight, the live runner's batch); default 2 s. */
  swapLockTimeoutMs?: number;
}

export interface RebuildResult {
  projection: string;
  /** Events replayed from the start of the all-stream. */
  events: number;
  /** Checkpoint the live projection continues from. */
  position: Position | null;
  durationMs: number;
}

/**
 * Readers queue behind the swap's exclusive lock while it waits for the ones in flight: a short wait,
 * retried, bounds that stall instead of letting one long query (an export) hold every reader up.
 */
const SWAP_ATTEMPTS = 10;

/**
 * Rebuilds the projection into a shadow table and swaps it in. The caller holds the projection's
 * rebuild lock (`tryLockRebuild`). A rebuild that fails or dies before the swap leaves the live table
 * and checkpoint untouched; its shadow stays until the next rebuild (or `discardRebuildShadow`) drops it.
 */
export async function runShadowRebuild(
  orm: ProjectionsOrm,
  eventStore: EventStore,
  lock: RebuildLock,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const startedAt = Date.now();
  const projection = findProjection(lock.projection);
  const names = tableNames(orm, projection);
  const checkpoint = rebuildCheckpointName(projection.name);
  const knex = knexOf(orm);
  const batchSize = options.batchSize ?? 500;

  await knex.transaction(async (trx) => {
    await trx.raw(`drop table if exists ${quote(names.shadow)}`);
    await trx.raw(`create table ${quote(names.shadow)} (like ${quote(names.live)} including all)`);
    await createEmptyCheckpoint(trx, checkpoint, 'rebuilding');
  });
  options.logger?.info(`projection ${projection.name}: rebuilding into ${names.shadow}`, {
    projection: projection.name,
  });

  const shadowRunner = () =>
    new ProjectionRunner({
      orm,
      eventStore,
      projection,
      batchSize,
      logger: options.logger,
      onBatch: options.onBatch,
      checkpointName: checkpoint,
      tableName: names.shadow,
    });
  let runner = shadowRunner();
  await runner.catchUp({ status: 'rebuilding', signal: options.signal });
  // Fresh statistics, so the first queries on the swapped-in table get sensible plans.
  await knex.raw(`analyze ${quote(names.shadow)}`);

  let events = 0;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    // Whatever arrived meanwhile is applied outside the swap, so the swap itself stays short.
    await runner.catchUp({ status: 'rebuilding', signal: options.signal });
    try {
      await knex.transaction(async (trx) => {
        await trx.raw(`set local lock_timeout = ${Math.max(1, options.swapLockTimeoutMs ?? 2_000)}`);
        events = await swap(trx, {
          projection: projection.name,
          checkpoint,
          names,
          runner,
          eventStore,
          batchSize,
        });
      });
      break;
    } catch (error) {
      if (!isLockTimeout(error) || attempt >= SWAP_ATTEMPTS) throw error;
      options.logger?.warn(`projection ${projection.name}: swap waited too long for a lock, retrying`, {
        projection: projection.name,
        attempt,
      });
      runner = shadowRunner(); // its in-memory checkpoint may include the rolled-back final batches
    }
  }

  const position = runner.checkpoint;
  // The rows changed under the projection's name: wake listeners (read-your-writes waiters, live views).
  await knex
    .raw('select pg_notify(?, ?)', [PROJECTIONS_NOTIFY_CHANNEL, projection.name])
    .catch(() => undefined);
  options.logger?.info(`projection ${projection.name}: rebuilt and swapped in`, {
    projection: projection.name,
    events,
    checkpoint: position ? formatPosition(position) : null,
  });
  return { projection: projection.name, events, position, durationMs: Date.now() - startedAt };
}

/** lock_timeout, or a deadlock with some other transaction: the swap rolled back whole, try again. */
function isLockTimeout(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '55P03' || code === '40P01';
}

/**
 * One transaction: lock the live checkpoint (the live runner's next batch waits here, then finds its
 * checkpoint moved and resumes from the new one), bring the shadow at least to the live checkpoint so
 * no reader sees rows go back in time, rename live → old and shadow → live, drop old, give the indexes
 * their original names back, move the live checkpoint to the shadow's and drop the shadow's.
 */
async function swap(
  trx: Knex,
  args: {
    projection: string;
    checkpoint: string;
    names: { live: string; shadow: string; old: string };
    runner: ProjectionRunner;
    eventStore: EventStore;
    batchSize: number;
  },
): Promise<number> {
  const { projection, checkpoint, names, runner, eventStore, batchSize } = args;
  const live = await lockCheckpoint(trx, projection);
  let shadow = await lockCheckpoint(trx, checkpoint);
  while (live !== null && (shadow === null || comparePositions(shadow, live) < 0)) {
    const page = await eventStore.readAll({ after: shadow, maxCount: batchSize });
    if (page.events.length === 0) {
      throw new Error(
        `${projection}: the event store has nothing after ${shadow ? formatPosition(shadow) : 'the start'}, below the live checkpoint ${formatPosition(live)}`,
      );
    }
    await runner.applyInTransaction(trx, page.events, 'rebuilding');
    shadow = runner.checkpoint;
  }

  const [liveColumns, shadowColumns] = await Promise.all([
    columnsOf(trx, names.live),
    columnsOf(trx, names.shadow),
  ]);
  if (liveColumns !== shadowColumns) {
    // A migration changed the live table during the rebuild: the shadow would drop its change.
    throw new Error(`${projection}: ${names.live} changed while rebuilding (columns differ); rebuild again`);
  }
  const renames = matchIndexes(
    projection,
    await indexesOf(trx, names.live),
    await indexesOf(trx, names.shadow),
  );

  await trx.raw(`drop table if exists ${quote(names.old)}`);
  await trx.raw(`alter table ${quote(names.live)} rename to ${quote(names.old)}`);
  await trx.raw(`alter table ${quote(names.shadow)} rename to ${quote(names.live)}`);
  // A serial column's sequence belongs to the old table; the new one's default uses it too.
  const owned = await trx.raw(
    `select s.relname as sequence, a.attname as column
       from pg_depend d
       join pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
      where d.refobjid = quote_ident(?)::regclass and d.deptype = 'a'`,
    [names.old],
  );
  for (const row of owned.rows as { sequence: string; column: string }[]) {
    await trx.raw(`alter sequence ${quote(row.sequence)} owned by ${quote(names.live)}.${quote(row.column)}`);
  }
  await trx.raw(`drop table ${quote(names.old)}`);
  // Migrations name indexes (drop index "…"): the swapped-in table keeps the names it replaces.
  for (const { from, to } of renames) {
    if (from !== to) await trx.raw(`alter index ${quote(from)} rename to ${quote(to)}`);
  }
  const replayed = await trx.raw(`select events_processed from projection_checkpoints where name = ?`, [
    checkpoint,
  ]);
  await adoptCheckpoint(trx, projection, checkpoint);
  await deleteCheckpoint(trx, checkpoint);
  return Number((replayed.rows[0] as { events_processed: string } | undefined)?.events_processed ?? 0);
}

async function columnsOf(trx: Knex, table: string): Promise<string> {
  const result = await trx.raw(
    `select attname, format_type(atttypid, atttypmod) as type, attnotnull
       from pg_attribute where attrelid = quote_ident(?)::regclass and attnum > 0 and not attisdropped
      order by attnum`,
    [table],
  );
  return JSON.stringify(result.rows);
}

interface IndexShape {
  name: string;
  shape: string;
}

async function indexesOf(trx: Knex, table: string): Promise<IndexShape[]> {
  const result = await trx.raw(
    `select i.relname as name,
            concat_ws('|', am.amname, x.indisprimary, x.indisunique, x.indkey::text, x.indclass::text,
                      x.indoption::text, x.indcollation::text, pg_get_expr(x.indexprs, x.indrelid),
                      pg_get_expr(x.indpred, x.indrelid)) as shape
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_am am on am.oid = i.relam
      where x.indrelid = quote_ident(?)::regclass
      order by i.relname`,
    [table],
  );
  return result.rows as IndexShape[];
}

/** Pairs each live index with the shadow's copy of it (same columns, method, uniqueness, predicate). */
function matchIndexes(
  projection: string,
  live: IndexShape[],
  shadow: IndexShape[],
): { from: string; to: string }[] {
  const unmatched = [...shadow];
  const renames = live.map((index) => {
    const at = unmatched.findIndex((candidate) => candidate.shape === index.shape);
    if (at === -1)
      throw new Error(`${projection}: index ${index.name} has no copy in the shadow table; rebuild again`);
    const [copy] = unmatched.splice(at, 1);
    return { from: copy.name, to: index.name };
  });
  if (unmatched.length > 0) {
    throw new Error(
      `${projection}: the shadow table has indexes the live one lacks (${unmatched.map((i) => i.name).join(', ')})`,
    );
  }
  return renames;
}

/** Drops a projection's shadow table and checkpoint (a failed or abandoned rebuild). Hold the lock. */
export async function discardRebuildShadow(orm: ProjectionsOrm, lock: RebuildLock): Promise<void> {
  const projection = findProjection(lock.projection);
  const names = tableNames(orm, projection);
  await knexOf(orm).transaction(async (trx) => {
    await trx.raw(`drop table if exists ${quote(names.shadow)}`);
    await deleteCheckpoint(trx, rebuildCheckpointName(projection.name));
  });
}

/**
 * Rebuilds a projection from zero in this process, without ever emptying the live table (shadow
 * rebuild and swap). Returns the events replayed. Throws RebuildInProgressError if one is running.
 */
export async function rebuildProjection(
  orm: ProjectionsOrm,
  eventStore: EventStore,
  name: string,
  options: RebuildOptions = {},
): Promise<number> {
  const lock = await tryLockRebuild(orm, name);
  if (!lock) throw new RebuildInProgressError(name);
  try {
    return (await runShadowRebuild(orm, eventStore, lock, options)).events;
  } finally {
    await lock.release();
  }
}
