/**
 * The plans of the queries that resolve a machine route's `{id}`, per engine: each lookup must be
 * served by its index, never by a scan of the tenant's machines (one id OR name OR aadDeviceId
 * query was such a scan on SQLite, and every action request paid for it). The SQL is taken from
 * the store's own log, so a change to the queries is explained here, not a copy of them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { openStore, toMachineRow, type Store, type StoreOptions } from '@cordon/store';
import { makeMachine, TEST_PG_URL } from '@cordon/store/testing';

const schema = `cordon_test_${randomBytes(6).toString('hex')}`;
const TENANT = '00000000-0000-4000-8000-0000000000aa';
/** Enough machines that PostgreSQL's planner, with its statistics, has a real choice. */
const MACHINES = 2000;
const UNKNOWN = 'no-such-machine.contoso.local';

interface Engine {
  name: 'sqlite' | 'postgres';
  options: StoreOptions;
  /** The plan of `text` with `parameters`, one line per node. */
  plan(store: Store, text: string, parameters: readonly unknown[]): Promise<string[]>;
}

const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    options: { sqlitePath: ':memory:' },
    async plan(store, text, parameters) {
      const rows = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
      return rows.rows.map((r) => r.detail);
    },
  },
  {
    name: 'postgres',
    options: { url: TEST_PG_URL, pgSchema: schema },
    async plan(store, text, parameters) {
      const rows = await store.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${text}`, [...parameters]));
      return rows.rows.map((r) => r['QUERY PLAN']);
    },
  },
];

/** Index that must serve each lookup, by the column it looks up; per engine, how the plan names it. */
const LOOKUPS = [
  { column: '"id" = ?', sqlite: 'SEARCH machines USING INDEX sqlite_autoindex_machines_1 (tenant_id=? AND id=?)', postgres: /Index Scan using machines_pk on machines/ },
  { column: '"aad_device_id" = ?', sqlite: 'SEARCH machines USING INDEX machines_aad_device_id (tenant_id=? AND aad_device_id=?)', postgres: /Index Scan using machines_aad_device_id on machines|Bitmap Index Scan on machines_aad_device_id/ },
  { column: 'lower("computer_dns_name") = ?', sqlite: 'SEARCH machines USING INDEX machines_dns_name_lower (tenant_id=? AND <expr>=?)', postgres: /Index Scan using machines_dns_name_lower on machines|Bitmap Index Scan on machines_dns_name_lower/ },
];

for (const engine of ENGINES) {
  describe(`machine resolution plans (${engine.name})`, () => {
    const seen: string[] = [];
    let store: Store | undefined;
    afterAll(async () => {
      if (!store) return;
      if (engine.name === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    });

    it('should look a machine up by id, aadDeviceId and name each through its index', async () => {
      store = await openStore({ ...engine.options, log: (e) => seen.push(e.sql) });
      const rows = Array.from({ length: MACHINES }, (_, i) => toMachineRow(makeMachine({ tenantId: TENANT, computerDnsName: `host-${i}.contoso.local`, aadDeviceId: randomBytes(16).toString('hex') })));
      for (let i = 0; i < rows.length; i += 200) await store.db.insertInto('machines').values(rows.slice(i, i + 200)).execute();
      // PostgreSQL's autovacuum keeps statistics; the server never runs ANALYZE on SQLite, so neither do we.
      if (engine.name === 'postgres') await sql`analyze`.execute(store.db);

      seen.length = 0;
      expect(await store.machines.resolve(TENANT, UNKNOWN)).toEqual({ kind: 'none' });
      // An unknown reference runs every lookup; in the store's placeholders (? on SQLite, $n on PostgreSQL).
      const resolveSql = [...seen]; // the EXPLAINs below are logged too
      const lookups = resolveSql.map((text) => text.replace(/\$\d+/g, '?'));
      expect(lookups.map((text) => LOOKUPS.findIndex((l) => text.includes(`where "tenant_id" = ? and ${l.column}`)))).toEqual([0, 1, 2]);

      for (const [i, text] of resolveSql.entries()) {
        // The lookups' parameters: tenant, the reference, then (for the matches) 'Offboarded' and the row limit.
        const parameters = [TENANT, UNKNOWN, 'Offboarded', 11].slice(0, lookups[i].split('?').length - 1);
        const plan = await engine.plan(store, text, parameters);
        const expected = LOOKUPS[i][engine.name];
        expect([lookups[i], plan.some((line) => (typeof expected === 'string' ? line === expected : expected.test(line)))]).toEqual([lookups[i], true]);
        expect(plan.join('\n')).not.toMatch(/\bSCAN machines\b|Seq Scan on machines/);
      }
    });
  });
}
