/**
 * @cordon/store: core's ports (ActionStore, MachineStore, IdentityStore, RateLimitStore) over one
 * Kysely implementation, on SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg).
 */
import { dirname, join } from 'node:path';
import { Kysely, Migrator, type LogEvent } from 'kysely';
import { toMdeTimestamp } from '@cordon/protocol';
import type { ActionStore, AgentStore, IdentityStore, MachineStore, RateLimitStore, RequestNonceStore, ServerRegistryStore } from '@cordon/core';
import type { Database } from './schema.js';
import type { DialectName, StoreDialect } from './dialects/types.js';
import { migrationProvider } from './migrations/index.js';
import { KyselyActionStore } from './kysely-action-store.js';
import { KyselyMachineStore } from './kysely-machine-store.js';
import { KyselyIdentityStore } from './kysely-identity-store.js';
import { KyselyRateLimitStore } from './kysely-rate-limit-store.js';
import { KyselyAgentStore } from './kysely-agent-store.js';
import { KyselyRequestNonceStore } from './kysely-request-nonce-store.js';
import { KyselyServerRegistryStore } from './kysely-server-registry-store.js';
import { createLocalNotifier, type Notifier } from './notify.js';
import type { BlobStore, LibraryStore, SecretStore } from '@cordon/core';
import { DbBlobStore, FsBlobStore } from './blobs/index.js';
import { KyselyLibraryStore, KyselySecretStore } from './kysely-library-store.js';
import { KyselyAlertStore, KyselyTenantSettingsStore } from './kysely-alert-store.js';
import type { AlertStore, TenantSettingsStore } from '@cordon/core';
import { KyselyInvestigationStore } from './kysely-investigation-store.js';
import type { InvestigationStore } from '@cordon/core';
import { KyselyActionResultStore } from './kysely-action-result-store.js';
import type { ActionResultStore } from '@cordon/core';
import { KyselyLogonUserStore } from './kysely-logon-user-store.js';
import { KyselyMachineEventStore } from './kysely-machine-event-store.js';
import type { LiveSessionStore, LogonUserStore, MachineEventStore } from '@cordon/core';
import { KyselyLiveSessionStore } from './kysely-live-session-store.js';

export * from './odata-to-kysely.js';
export type { Database } from './schema.js';
export type { DialectName } from './dialects/types.js';
export { ACTION_COLUMNS, EXPIRED_MESSAGE, KyselyActionStore } from './kysely-action-store.js';
export { MACHINE_COLUMNS, KyselyMachineStore } from './kysely-machine-store.js';
export { KyselyIdentityStore } from './kysely-identity-store.js';
export { KyselyRateLimitStore } from './kysely-rate-limit-store.js';
export { KyselyAgentStore } from './kysely-agent-store.js';
export { KyselyRequestNonceStore } from './kysely-request-nonce-store.js';
export { KyselyServerRegistryStore } from './kysely-server-registry-store.js';
export { KyselyUserStore, type UserRecord, type SessionRecord, type UserStore } from './kysely-user-store.js';
export { createLocalNotifier, type Notifier, type NotifyListener } from './notify.js';
export { toActionRecord, toActionRow } from './rows/action-rows.js';
export { DbBlobStore, FsBlobStore, BLOB_CHUNK_BYTES, BLOB_ID } from './blobs/index.js';
export { KyselyLibraryStore, KyselySecretStore } from './kysely-library-store.js';
export { toMachineRecord, toMachineRow } from './rows/machine-rows.js';
export { ALERT_COLUMNS, KyselyAlertStore, KyselyTenantSettingsStore } from './kysely-alert-store.js';
export { INVESTIGATION_COLUMNS, KyselyInvestigationStore } from './kysely-investigation-store.js';
export { KyselyActionResultStore } from './kysely-action-result-store.js';
export { KyselyLogonUserStore } from './kysely-logon-user-store.js';
export { KyselyMachineEventStore } from './kysely-machine-event-store.js';
export { KyselyLiveSessionStore } from './kysely-live-session-store.js';
export { MACHINE_CHANGES_CHANNEL } from './kysely-machine-store.js';

/** One executed statement, for logging (no parameter values: they may hold secrets). */
export interface StoreQueryLog {
  sql: string;
  durationMs: number;
  error?: unknown;
}

export interface StoreOptions {
  /** `postgres://user@host:port/db` for PostgreSQL; leave unset for SQLite. */
  url?: string;
  /** SQLite database file, or ':memory:'. Default ':memory:'. Ignored with `url`. */
  sqlitePath?: string;
  /** PostgreSQL schema to keep the tables in (created if missing); default: the server's search_path. */
  pgSchema?: string;
  /** Called after every statement. */
  log?: (entry: StoreQueryLog) => void;
  /**
   * Keep blobs as files under this directory. Default: `<dir of sqlitePath>/blobs` for a
   * SQLite file; in the database (chunk rows) for PostgreSQL and for SQLite ':memory:'.
   */
  blobDir?: string;
}

export interface Store {
  actions: ActionStore;
  machines: MachineStore;
  identity: IdentityStore;
  rateLimits: RateLimitStore;
  /** The server processes sharing this database and the public URLs devices reach them at. */
  servers: ServerRegistryStore;
  /** Enrollment secrets and device credentials. */
  agents: AgentStore;
  /** Nonces of device-signed requests (the replay cache every process shares). */
  nonces: RequestNonceStore;
  /** Cross-process notifications: LISTEN/NOTIFY on PostgreSQL, in-process on SQLite. */
  notifier: Notifier;
  /** Results and library content (files, or chunk rows in the database; see `blobDir`). */
  blobs: BlobStore;
  /** The live response library. */
  library: LibraryStore;
  /** Deployment secrets shared by every process (download-link HMAC key). */
  secrets: SecretStore;
  /** Alerts from scan detections and investigations. */
  alerts: AlertStore;
  /** Per-tenant response settings (Cordon extension). */
  tenantSettings: TenantSettingsStore;
  /** Automated investigations. */
  investigations: InvestigationStore;
  /** Which result blobs belong to which action (one per slot; orphan deletion, retention). */
  results: ActionResultStore;
  /** The accounts agents report as having logged on (`/machines/{id}/logonusers`). */
  logonUsers: LogonUserStore;
  /** What changed on each machine and when (health, tags, isolation, restriction): the device timeline. */
  machineEvents: MachineEventStore;
  /** Live response console sessions, their commands and event streams. */
  liveSessions: LiveSessionStore;
  dialect: DialectName;
  /**
   * The underlying Kysely instance: for benchmarks, tests and other store-package adapters only.
   * Application code goes through the ports above.
   */
  db: Kysely<Database>;
  /** Closes the pool / database handle. */
  close(): Promise<void>;
}

/**
 * Opens the database, brings its schema up to date, and returns the stores.
 * @example const store = await openStore({ sqlitePath: ':memory:' });
 * @example const store = await openStore({ url: 'postgres://postgres@127.0.0.1:5432/cordon' });
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const dialect = await createDialect(options);
  const db = new Kysely<Database>({ dialect: dialect.kysely, ...(options.log ? { log: forwardLog(options.log) } : {}) });
  try {
    await dialect.prepare(db);
    await migrate(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const notifier = await createNotifier(options);
  return {
    actions: new KyselyActionStore(db, dialect),
    machines: new KyselyMachineStore(db, notifier),
    machineEvents: new KyselyMachineEventStore(db),
    identity: new KyselyIdentityStore(db),
    rateLimits: new KyselyRateLimitStore(db),
    servers: new KyselyServerRegistryStore(db),
    agents: new KyselyAgentStore(db),
    nonces: new KyselyRequestNonceStore(db),
    notifier,
    blobs: await openBlobs(db, options),
    library: new KyselyLibraryStore(db),
    secrets: new KyselySecretStore(db),
    alerts: new KyselyAlertStore(db),
    tenantSettings: new KyselyTenantSettingsStore(db),
    investigations: new KyselyInvestigationStore(db),
    results: new KyselyActionResultStore(db),
    logonUsers: new KyselyLogonUserStore(db, dialect.name),
    liveSessions: new KyselyLiveSessionStore(db, dialect),
    dialect: dialect.name,
    db,
    close: async () => {
      await notifier.close();
      await db.destroy();
    },
  };
}

async function openBlobs(db: Kysely<Database>, options: StoreOptions): Promise<BlobStore> {
  const path = options.sqlitePath ?? ':memory:';
  const dir = options.blobDir ?? (options.url === undefined && path !== ':memory:' ? join(dirname(path), 'blobs') : undefined);
  if (dir !== undefined) return new FsBlobStore({ root: dir });
  const blobs = new DbBlobStore(db);
  // Writes a crashed process left half-done a day ago are garbage now.
  await blobs.purgeIncomplete(toMdeTimestamp(Date.now() - 24 * 3_600_000));
  return blobs;
}

async function createNotifier(options: StoreOptions): Promise<Notifier> {
  if (options.url === undefined) return createLocalNotifier();
  const { createPostgresNotifier } = await import('./dialects/postgres-notify.js');
  return createPostgresNotifier({ url: options.url, ...(options.pgSchema !== undefined ? { channelPrefix: `${options.pgSchema}_` } : {}) });
}

async function createDialect(options: StoreOptions): Promise<StoreDialect> {
  // Imported lazily so a SQLite deployment never loads pg, and vice versa.
  if (options.url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(options.url)) throw new Error(`Unsupported database URL scheme (expected postgres://): ${redact(options.url)}`);
    const { postgresDialect } = await import('./dialects/postgres.js');
    return postgresDialect({ url: options.url, ...(options.pgSchema !== undefined ? { schema: options.pgSchema } : {}) });
  }
  const { sqliteDialect } = await import('./dialects/sqlite.js');
  return sqliteDialect({ path: options.sqlitePath ?? ':memory:' });
}

async function migrate(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect.types),
    ...(dialect.migrationSchema !== undefined ? { migrationTableSchema: dialect.migrationSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed`, { cause: error });
  }
}

function forwardLog(log: (entry: StoreQueryLog) => void): (event: LogEvent) => void {
  return (event) => log({ sql: event.query.sql, durationMs: event.queryDurationMillis, ...(event.level === 'error' ? { error: event.error } : {}) });
}

/** Drops the password from a URL before it reaches an error message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
