/**
 * PostgreSQL through pg. Only this file imports the driver; Kysely's `PostgresDialect` takes a
 * structurally typed pool, so no pg type leaks upward.
 */
import pg from 'pg';
import { PostgresDialect, sql } from 'kysely';
import type { StoreDialect } from './types.js';

export interface PostgresOptions {
  /** `postgres://user@host:port/db` */
  url: string;
  /**
   * A schema to keep every table in (created if missing), e.g. a private one per test run.
   * Selected through each connection's search_path, so queries stay unqualified.
   */
  schema?: string;
  maxConnections?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function postgresDialect(options: PostgresOptions): StoreDialect {
  const schema = options.schema;
  if (schema !== undefined && !IDENTIFIER.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    // A startup parameter, so every pooled connection gets it before its first query.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // Found by bench/chaos.ts: when PostgreSQL restarts it terminates every connection
  // (57P01). pg re-emits that as an 'error' event on the Pool (idle clients) and on the Client
  // itself (clients checked out at that moment, e.g. inside a transaction); either, unhandled,
  // kills the process. Nothing needs doing: the running query fails on its own (a 5xx), the client
  // is marked unusable and the pool drops it on release, and the next query opens a new connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return {
    name: 'postgres',
    kysely: new PostgresDialect({ pool }),
    types: {
      // Every text column is COLLATE "C": byte order, as SQLite's BINARY. Timestamps are fixed-width
      // MDE text, so this makes text order time order; names and ids then $orderby the same on both
      // engines (a locale collation would not). Raw SQL because collations are PostgreSQL-only here.
      text: sql`text collate "C"`,
      bool: 'boolean',
      bigint: 'bigint',
      bytes: 'bytea',
    },
    migrationSchema: schema,
    isUniqueViolation(error, target) {
      // 23505 unique_violation; pg puts the violated index's name on `constraint`.
      return isRecord(error) && error.code === '23505' && error.constraint === target.index;
    },
    async prepare(db) {
      // search_path may name a schema that does not exist yet; creating it here is enough.
      if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
