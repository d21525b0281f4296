import type { EntityMetadata, EntityProperty, EntitySchema } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import type { ProjectionsOrm } from '../orm';
import { serializeKey, type ProjectionKey } from '../projection';

/** Rows per statement: keeps bind parameters far below PostgreSQL's 65535 whatever the batch size. */
const CHUNK = 1000;

interface Column {
  property: string;
  field: string;
  toJs(value: unknown): unknown;
  toDb(value: unknown): unknown;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Set-based reads and writes of one read-model table, driven by the entity's MikroORM metadata:
 * one SELECT for all the rows a batch touches, one INSERT … ON CONFLICT per chunk of changed rows,
 * one DELETE per chunk of removed ones.
 */
export class RowTable<Row extends object> {
  readonly tableName: string;
  private readonly columns: Column[];
  private readonly keyColumns: Column[];

  /** `tableName` overrides the entity's table (a rebuild writes the same rows into a shadow table). */
  constructor(orm: ProjectionsOrm, entity: EntitySchema<Row>, options: { tableName?: string } = {}) {
    const meta: EntityMetadata =
      orm.getMetadata().find(entity.meta.className) ?? orm.getMetadata().get(entity.meta.className);
    const platform = orm.em.getPlatform();
    this.tableName = options.tableName ?? meta.tableName;
    // MikroORM has pg hand back timestamps as text (it hydrates them itself); rows here are plain objects.
    const isDate = (prop: EntityProperty) =>
      prop.runtimeType === 'Date' || String(prop.type).toLowerCase() === 'date';
    const column = (prop: EntityProperty): Column => ({
      property: prop.name,
      field: prop.fieldNames[0],
      toJs: (value) =>
        value == null
          ? null
          : prop.customType && !isDate(prop)
            ? prop.customType.convertToJSValue(value, platform)
            : isDate(prop) && !(value instanceof Date)
              ? new Date(value as string)
              : value,
      toDb: (value) =>
        value == null
          ? null
          : prop.customType
            ? prop.customType.convertToDatabaseValue(value, platform)
            : value,
    });
    this.columns = meta.props
      .filter((prop) => prop.persist !== false && prop.fieldNames?.length === 1)
      .map(column);
    this.keyColumns = meta.primaryKeys.map((name) => {
      const found = this.columns.find((c) => c.property === name);
      if (!found) throw new Error(`${meta.className}: primary key ${name} has no column`);
      return found;
    });
  }

  keyOfRow(row: Row): string {
    const values = this.keyColumns.map((c) => String((row as Record<string, unknown>)[c.property]));
    return serializeKey(values.length === 1 ? values[0] : values);
  }

  private keyValues(key: ProjectionKey): unknown[] {
    const values = typeof key === 'string' ? [key] : [...key];
    if (values.length !== this.keyColumns.length) {
      throw new Error(`${this.tableName}: key ${JSON.stringify(key)} does not match its primary key`);
    }
    return values;
  }

  private keyTuple(count: number): string {
    const one = `(${this.keyColumns.map(() => '?').join(', ')})`;
    return Array.from({ length: count }, () => one).join(', ');
  }

  private get keyList(): string {
    return `(${this.keyColumns.map((c) => quote(c.field)).join(', ')})`;
  }

  toRow(record: Record<string, unknown>): Row {
    const row: Record<string, unknown> = {};
    for (const c of this.columns) row[c.property] = c.toJs(record[c.field]);
    return row as Row;
  }

  /** The existing rows for these keys, by serialized key. */
  async load(trx: Knex, keys: ProjectionKey[]): Promise<Map<string, Row>> {
    const rows = new Map<string, Row>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const result = await trx.raw(
        `select * from ${quote(this.tableName)} where ${this.keyList} in (${this.keyTuple(chunk.length)})`,
        chunk.flatMap((key) => this.keyValues(key)) as Knex.RawBinding[],
      );
      for (const record of result.rows as Record<string, unknown>[]) {
        const row = this.toRow(record);
        rows.set(this.keyOfRow(row), row);
      }
    }
    return rows;
  }

  async upsert(trx: Knex, rows: Row[]): Promise<void> {
    const fields = this.columns.map((c) => quote(c.field)).join(', ');
    const keyFields = new Set(this.keyColumns.map((c) => c.field));
    const updates = this.columns
      .filter((c) => !keyFields.has(c.field))
      .map((c) => `${quote(c.field)} = excluded.${quote(c.field)}`)
      .join(', ');
    const tuple = `(${this.columns.map(() => '?').join(', ')})`;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const bindings = chunk.flatMap((row) =>
        this.columns.map((c) => c.toDb((row as Record<string, unknown>)[c.property])),
      );
      await trx.raw(
        `insert into ${quote(this.tableName)} (${fields}) values ${chunk.map(() => tuple).join(', ')} ` +
          `on conflict ${this.keyList} do ${updates ? `update set ${updates}` : 'nothing'}`,
        bindings as Knex.RawBinding[],
      );
    }
  }

  async delete(trx: Knex, keys: ProjectionKey[]): Promise<void> {
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      await trx.raw(
        `delete from ${quote(this.tableName)} where ${this.keyList} in (${this.keyTuple(chunk.length)})`,
        chunk.flatMap((key) => this.keyValues(key)) as Knex.RawBinding[],
      );
    }
  }

  async truncate(trx: Knex): Promise<void> {
    await trx.raw(`truncate table ${quote(this.tableName)}`);
  }

  /** Every row, ordered by primary key (tests and comparisons). */
  async all(trx: Knex): Promise<Row[]> {
    const result = await trx.raw(
      `select * from ${quote(this.tableName)} order by ${this.keyColumns.map((c) => quote(c.field)).join(', ')}`,
    );
    return (result.rows as Record<string, unknown>[]).map((record) => this.toRow(record));
  }
}
