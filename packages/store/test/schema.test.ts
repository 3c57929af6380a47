/**
 * What the migrations leave behind on each engine: re-opening is a no-op that keeps data, two
 * connections to one SQLite file agree on the unique rules, PostgreSQL text is byte-ordered
 * (COLLATE "C") and the reaper's index is partial on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '@cordon/store';
import { makeAction } from '@cordon/store/testing';

const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('SQLite file store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep its data and run no migration twice when opened again', async () => {
    const path = join(dir, 'reopen.db');
    const action = makeAction();
    const first = await openStore({ sqlitePath: path });
    await first.actions.create(action);
    await first.close();
    const again = await openStore({ sqlitePath: path });
    try {
      expect(await again.actions.get(action.tenantId, action.id)).toEqual(action);
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(again.db);
      expect(rows.map((r) => r.name)).toContain('001-initial');
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    } finally {
      await again.close();
    }
  });

  it('should refuse a duplicate open action created through another connection to the same file', async () => {
    const path = join(dir, 'two.db');
    const a = await openStore({ sqlitePath: path });
    const b = await openStore({ sqlitePath: path });
    try {
      const machineId = randomBytes(20).toString('hex');
      const outcomes = await Promise.all([a, b, a, b].map((s) => s.actions.create(makeAction({ machineId }))));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      const key = randomUUID();
      const counts = await Promise.all([a, b, a, b, a, b].map((s) => s.rateLimits.hit(key, 0)));
      expect(counts.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('should create the reaper index as a partial index', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and name = 'machine_actions_open_deadline'`.execute(store.db);
      expect(rows[0]?.sql).toMatch(/where "active_type" is not null/i);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL schema', () => {
  const schema = `cordon_test_${randomBytes(6).toString('hex')}`;
  let store: Store | undefined;
  const open = async () => {
    try {
      store ??= await openStore({ url: PG_URL, pgSchema: schema });
      return store;
    } catch (error) {
      throw new Error(`PostgreSQL not reachable at ${PG_URL}: set CORDON_TEST_PG_URL=postgres://user@host:port/db to point the store contract suite at one`, { cause: error });
    }
  };
  afterAll(async () => {
    if (!store) return;
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
    await store.close();
  });

  it('should declare every text column COLLATE "C", so text order is byte (and time) order', async () => {
    const db = (await open()).db;
    const { rows } = await sql<{ table_name: string; column_name: string; collation_name: string | null }>`
      select table_name, column_name, collation_name from information_schema.columns
      where table_schema = ${schema} and data_type = 'text' and table_name not like 'kysely_%'`.execute(db);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.collation_name !== 'C')).toEqual([]);
    expect(rows).toContainEqual({ table_name: 'machine_actions', column_name: 'creation_date_time_utc', collation_name: 'C' });
  });

  it('should create the reaper index as a partial index and the active-type index as unique', async () => {
    const db = (await open()).db;
    const { rows } = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where schemaname = ${schema}`.execute(db);
    const def = (name: string) => rows.find((r) => r.indexname === name)?.indexdef ?? '';
    expect(def('machine_actions_open_deadline')).toMatch(/WHERE \(active_type IS NOT NULL\)/);
    expect(def('machine_actions_active_type_unique')).toMatch(/^CREATE UNIQUE INDEX .*\(tenant_id, machine_id, active_type\)/);
  });

  it('should keep its data and run no migration twice when opened again', async () => {
    const first = await open();
    const action = makeAction();
    await first.actions.create(action);
    const again = await openStore({ url: PG_URL, pgSchema: schema });
    try {
      expect(await again.actions.get(action.tenantId, action.id)).toEqual(action);
    } finally {
      await again.close();
    }
  });
});
