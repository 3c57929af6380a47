/**
 * SQLite through better-sqlite3: the embedded default. Only this file imports the driver; Kysely's
 * `SqliteDialect` takes a structurally typed database, so no better-sqlite3 type leaks upward.
 */
import { chmodSync, closeSync, openSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { StoreDialect } from './types.js';

export interface SqliteOptions {
  /** A file path, or ':memory:' for a private in-memory database. */
  path: string;
  /** How long a writer waits for another process's write lock before failing (ms). */
  busyTimeoutMs?: number;
}

export function sqliteDialect(options: SqliteOptions): StoreDialect {
  if (options.path !== ':memory:') createPrivately(options.path);
  const database = new BetterSqlite3(options.path);
  // WAL lets readers in other processes run during a write; pointless (and refused) in memory.
  if (options.path !== ':memory:') database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  database.pragma('foreign_keys = ON');
  return {
    name: 'sqlite',
    kysely: new SqliteDialect({ database: withStatementCache(database) }),
    // SQLite's default BINARY collation already orders text by bytes, as "C" does on PostgreSQL.
    types: { text: 'text', bool: 'integer', bigint: 'integer', bytes: 'blob' },
    migrationSchema: undefined,
    isUniqueViolation(error, target) {
      // better-sqlite3's SqliteError: code SQLITE_CONSTRAINT_UNIQUE, message
      // "UNIQUE constraint failed: machine_actions.tenant_id, machine_actions.machine_id, machine_actions.active_type".
      // SQLite does not name the index, so match the column list's tail.
      if (!isRecord(error) || error.code !== 'SQLITE_CONSTRAINT_UNIQUE' || typeof error.message !== 'string') return false;
      return error.message.endsWith(`.${target.column}`);
    },
    async prepare() {},
  };
}

/**
 * The database holds the token signing key and every tenant's data, so only the server's user may
 * read it. SQLite creates a missing file with 0644 (less the umask) and gives its -wal and -shm files
 * the database file's own mode, so owning the main file's mode is enough: create it 0600, and
 * tighten a file an older version created.
 */
function createPrivately(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

/** Statements kept per connection; Cordon issues a few dozen distinct SQL texts. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing was ~8% of a request's CPU in a
 * profile of POST /isolate. better-sqlite3 statements are reusable (the driver is synchronous, so a
 * statement is never used by two queries at once, except while a `.stream()` iterates it: a busy
 * statement is never handed out again, a fresh one is). Least-recently-used eviction by SQL text.
 */
function withStatementCache(database: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    const hit = cache.get(sql);
    if (hit?.busy) return database.prepare(sql);
    if (hit) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = database.prepare(sql);
    cache.set(sql, statement);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return statement;
  };
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
