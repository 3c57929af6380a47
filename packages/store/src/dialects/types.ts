/**
 * What differs between the engines, as small named members (kysely `DialectAdapter` style). The
 * stores and migrations are written once against `Kysely<Database>` and ask this for the rest.
 */
import type { CreateTableBuilder, Dialect, Kysely } from 'kysely';

/** What `addColumn` accepts as a type (Kysely does not export the name). */
export type DataTypeExpression = Parameters<CreateTableBuilder<string, never>['addColumn']>[1];

export type DialectName = 'sqlite' | 'postgres';

/** Column types that are spelled differently per engine. */
export interface ColumnTypes {
  /** Any TEXT column (ids, enums, timestamps, JSON). */
  text: DataTypeExpression;
  bool: DataTypeExpression;
  /** 64-bit integer (epoch ms). */
  bigint: DataTypeExpression;
  /** Binary data (blob chunks): BLOB on SQLite, BYTEA on PostgreSQL. */
  bytes: DataTypeExpression;
}

export interface StoreDialect {
  name: DialectName;
  /** The Kysely dialect, owning the driver (pool or database handle). */
  kysely: Dialect;
  types: ColumnTypes;
  /** The schema Kysely's migration tables live in (PostgreSQL private schemas); undefined = default. */
  migrationSchema: string | undefined;
  /** True when `error` is a unique-constraint violation on `index` (whose last column is `column`). */
  isUniqueViolation(error: unknown, target: { index: string; column: string }): boolean;
  /** Runs before migrations (e.g. creating the PostgreSQL schema). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs before any table exists
  prepare(db: Kysely<any>): Promise<void>;
}
