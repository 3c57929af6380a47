/**
 * The store contract on PostgreSQL, in a private schema created for this run and dropped after.
 * Fails (never skips) when no server answers: CI must not silently lose the PostgreSQL half.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '@cordon/store';
import { runStoreContract } from '@cordon/store/testing';

const url = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cordon_test_${randomBytes(6).toString('hex')}`;

let admin: Store | undefined;

beforeAll(async () => {
  try {
    admin = await openStore({ url, pgSchema: schema });
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${url}: set CORDON_TEST_PG_URL=postgres://user@host:port/db to point the store contract suite at one`, { cause: error });
  }
});

afterAll(async () => {
  if (!admin) return;
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
  await admin.close();
});

runStoreContract({ name: `postgres ${schema}`, newStore: () => openStore({ url, pgSchema: schema }) });
