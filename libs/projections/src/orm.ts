import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { READ_MODEL_MIGRATIONS } from './migrations';
import { READ_MODEL_ENTITIES } from './read-models';

export type ProjectionsOrm = MikroORM<PostgreSqlDriver>;

export interface ProjectionsOrmOptions {
  /** Connection pool size (default 10). */
  poolMax?: number;
  debug?: boolean;
  /** Extra MikroORM options, merged last. */
  overrides?: Partial<Options<PostgreSqlDriver>>;
}

/** Explicit entities, no file discovery, no config file: works the same from dist and from jest. */
export async function createProjectionsOrm(
  databaseUrl: string,
  options: ProjectionsOrmOptions = {},
): Promise<ProjectionsOrm> {
  return MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: READ_MODEL_ENTITIES,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true, warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      migrationsList: READ_MODEL_MIGRATIONS,
      tableName: 'read_model_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    ensureDatabase: false,
    allowGlobalContext: false,
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    ...options.overrides,
  });
}

/** Advisory-lock key shared by every process that migrates the read models (workers and API). */
const MIGRATION_LOCK_KEY = 7_340_155_201;

/**
 * Applies pending read-model migrations. Serialized across processes with a transaction-scoped
 * advisory lock, so the workers and the API can both call it at start-up.
 */
export async function migrateReadModels(orm: ProjectionsOrm): Promise<string[]> {
  const knex = orm.em.getConnection().getKnex();
  return knex.transaction(async (lock) => {
    await lock.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    const applied = await orm.getMigrator().up();
    return applied.map((migration) => migration.name);
  });
}
