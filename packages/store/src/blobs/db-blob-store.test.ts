/**
 * The database blob store on SQLite (in memory) and on PostgreSQL in a private schema dropped
 * after the run. Fails (never skips) when PostgreSQL is unreachable, like store/test/postgres.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../index.js';
import { DbBlobStore } from './db-blob-store.js';
import { runBlobStoreContract } from './blob-store-contract.js';

const url = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cordon_blob_${randomBytes(6).toString('hex')}`;
let sqlite: Store;
let pg: Store | undefined;

beforeAll(async () => {
  sqlite = await openStore({ sqlitePath: ':memory:' });
  try {
    pg = await openStore({ url, pgSchema: schema });
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${url}: set CORDON_TEST_PG_URL=postgres://user@host:port/db`, { cause: error });
  }
});

afterAll(async () => {
  await sqlite?.close();
  if (!pg) return;
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(pg.db);
  await pg.close();
});

/** Every row of both tables, so a failed write provably leaves nothing (not even `writing` rows). */
async function rows(store: Store): Promise<string[]> {
  const blobs = await sql<{ id: string }>`select id from blobs order by id`.execute(store.db);
  const chunks = await sql<{ blob_id: string; seq: number }>`select blob_id, seq from blob_chunks order by blob_id, seq`.execute(store.db);
  return [...blobs.rows.map((r) => `b:${r.id}`), ...chunks.rows.map((r) => `c:${r.blob_id}:${r.seq}`)];
}

runBlobStoreContract('database on SQLite', () => new DbBlobStore(sqlite.db), { listIds: () => rows(sqlite) });
runBlobStoreContract('database on PostgreSQL', () => new DbBlobStore(pg!.db), { listIds: () => rows(pg!) });
