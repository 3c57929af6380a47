/**
 * The SQL of the queries whose atomicity the domain relies on, per engine, captured through the
 * `log` option: a reviewer sees it here, and a change to it fails loudly (kysely `testSql`).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store, type StoreOptions } from '@cordon/store';
import { makeAction } from '@cordon/store/testing';
import { EXPIRED_MESSAGE, planBulkTransition } from '@cordon/core';

const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cordon_test_${randomBytes(6).toString('hex')}`;

const ENGINES: [string, StoreOptions, (sqliteSql: string) => string][] = [
  ['sqlite', { sqlitePath: ':memory:' }, (s) => s],
  ['postgres', { url: PG_URL, pgSchema: schema }, (s) => { let n = 0; return s.replace(/\?/g, () => `$${++n}`); }],
];

for (const [engine, options, placeholders] of ENGINES) {
  describe(`key queries (${engine})`, () => {
    const seen: string[] = [];
    let store: Store | undefined;
    const open = async () => (store ??= await openStore({ ...options, log: (e) => seen.push(e.sql) }));
    const last = () => seen[seen.length - 1];
    afterAll(async () => {
      if (!store) return;
      if (engine === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    });

    it('should transition with one compare-and-set UPDATE ... RETURNING', async () => {
      const s = await open();
      const a = makeAction();
      await s.actions.create(a);
      await s.actions.transition(a.tenantId, a.id, ['Pending', 'InProgress'], { status: 'Cancelled', lastUpdateDateTimeUtc: a.creationDateTimeUtc });
      expect(last()).toBe(placeholders('update "machine_actions" set "status" = ?, "last_update_date_time_utc" = ?, "active_type" = ? where "tenant_id" = ? and "id" = ? and "status" in (?, ?) returning *'));
    });

    it('should expire with one UPDATE over open actions', async () => {
      const s = await open();
      await s.actions.expireDue('2000-01-01T00:00:00.0000000Z', planBulkTransition('timeout', '2000-01-01T00:00:00.0000000Z', { errorMessage: EXPIRED_MESSAGE }));
      expect(last()).toBe(placeholders('update "machine_actions" set "status" = ?, "last_update_date_time_utc" = ?, "error_message" = ?, "active_type" = ? where "active_type" is not null and "status" in (?, ?) and "deadline_date_time_utc" <= ? returning *'));
    });

    it('should count a rate-limit hit with one upsert', async () => {
      const s = await open();
      await s.rateLimits.hit('k', 0);
      expect(last()).toBe(placeholders('insert into "rate_limit_windows" ("key", "window_start", "count") values (?, ?, ?) on conflict ("key", "window_start") do update set "count" = "rate_limit_windows"."count" + ? returning "count"'));
    });
  });
}
