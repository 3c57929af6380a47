/**
 * Machine resolution benchmark: does an action request cost the same on a small and a large fleet?
 * For each fleet size (machines in one tenant) and engine, a fresh database, then times
 *   POST /api/machines/{id}/isolate            by machine id and by computer name (real HTTP,
 *                                              bearer token, keep-alive loopback connection)
 *   store.machines.resolve(tenant, ref)        by id and by name, without HTTP
 * next to floors measured in the same run: the primary-key SELECT of one machine on the engine's
 * driver (no Kysely, no HTTP) and a bare HTTP round trip (/healthz). For reference it also times,
 * on the driver, the single `id OR lower(name) OR aadDeviceId` query resolution used before.
 * Each created action is cancelled through the store, untimed, so the next isolate of that machine
 * is not refused as a duplicate. The fleets run side by side and take turns, call by call.
 *
 *   node --import tsx bench/machine-resolve.ts [--fleets 200,20000] [--requests N] [--engines sqlite,postgres]
 *
 * PostgreSQL: CORDON_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test), in a private
 * schema dropped at the end. The bench imports the drivers directly for the floor: that is its job.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, toMachineRow, type Store } from '@cordon/store';
import { makeMachine } from '@cordon/store/fixtures';
import { APP_PERMISSIONS, toMdeTimestamp } from '@cordon/protocol';
import { buildApp, createApplication, loadConfig, randomIds, systemClock } from '@cordon/server';
import { summarize, fmt, type Summary } from './stats.js';

const { values: args } = parseArgs({
  options: {
    fleets: { type: 'string', default: '200,20000' },
    requests: { type: 'string', default: '1000' },
    engines: { type: 'string', default: 'sqlite,postgres' },
  },
});
const FLEETS = String(args.fleets).split(',').map(Number);
const REQUESTS = Number(args.requests);
const WARMUP = 100;
const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TENANT = '11111111-1111-4111-8111-111111111111';

const PK_SQL = `select * from "machines" where "tenant_id" = $1 and "id" = $2`;
const OR_SQL = `select * from "machines" where "tenant_id" = $1 and ("id" = $2 or lower("computer_dns_name") = $3 or "aad_device_id" = $4) limit $5`;
const sqlite = (text: string) => text.replace(/\$\d+/g, '?');

/** Deterministic pseudo-random numbers, so every run picks the same machines. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Machine {
  id: string;
  name: string;
}

async function seed(store: Store, fleet: number): Promise<Machine[]> {
  await store.identity.createTenant({ id: TENANT, name: 'bench', createdAt: toMdeTimestamp(Date.now()) });
  const machines = Array.from({ length: fleet }, (_, i) => makeMachine({ tenantId: TENANT, computerDnsName: `bench-${i}.corp.example`, aadDeviceId: randomUUID() }));
  for (let i = 0; i < machines.length; i += 500) await store.db.insertInto('machines').values(machines.slice(i, i + 500).map(toMachineRow)).execute();
  return machines.map((m) => ({ id: m.id, name: m.computerDnsName }));
}

/** One fleet's database and server, and the operations the bench times on it. */
interface Fleet {
  size: number;
  /** Each measurement: one timed call (the clean-up it returns runs untimed). */
  operations: Record<string, () => Promise<(() => Promise<unknown>) | void>>;
  close(): Promise<void>;
}

async function openFleet(engine: 'sqlite' | 'postgres', size: number): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-'));
  const schema = `cordon_bench_${process.pid}_${size}`;
  const store = engine === 'sqlite' ? await openStore({ sqlitePath: join(dir, 'bench.db') }) : await openStore({ url: PG_URL, pgSchema: schema });
  const machines = await seed(store, size);
  // Statistics as a running server has them: PostgreSQL's autovacuum analyzes; nothing runs
  // ANALYZE on the server's SQLite file (with its statistics, SQLite plans the former OR query as
  // three index lookups; without, as a scan of the tenant's machines).
  if (engine === 'postgres') await sql`analyze`.execute(store.db);
  const config = loadConfig({ CORDON_PORT: '0', CORDON_DATA: dir, CORDON_LOG_LEVEL: 'warn', CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: null, perHour: null } }) });
  const { app } = await buildApp({ config, store });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const created = await createApplication(store.identity, { tenantId: TENANT, name: 'bench', roles: [...APP_PERMISSIONS] }, { clock: systemClock, ids: randomIds });
  const tokenRes = await fetch(`${address}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: created.clientId, client_secret: created.clientSecret, grant_type: 'client_credentials', scope: 'x/.default' }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const random = rng(7);
  const pick = () => machines[Math.floor(random() * machines.length)]!;

  // Each created action is cancelled, untimed, so the machine's next isolate is not a duplicate.
  const isolate = async (ref: string) => {
    const res = await fetch(`${address}/api/machines/${encodeURIComponent(ref)}/isolate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Comment: 'bench', IsolationType: 'Full' }),
    });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 201 || !body.id) throw new Error(`bench isolate failed: ${res.status} ${JSON.stringify(body)}`);
    const actionId = body.id;
    return () => store.actions.transition(TENANT, actionId, ['Pending'], { status: 'Cancelled', lastUpdateDateTimeUtc: toMdeTimestamp(Date.now()) });
  };
  const resolve = async (ref: string) => {
    if ((await store.machines.resolve(TENANT, ref)).kind !== 'machine') throw new Error(`bench resolve failed: ${ref}`);
  };
  const orParams = (m: Machine) => [TENANT, m.name, m.name.toLowerCase(), m.name, 10];

  // Floors and the former query, on the driver.
  let driver: { pk(m: Machine): Promise<unknown>; or(m: Machine): Promise<unknown>; close(): Promise<void> };
  if (engine === 'sqlite') {
    const db = new Database(join(dir, 'bench.db'), { readonly: true });
    const pk = db.prepare(sqlite(PK_SQL));
    const or = db.prepare(sqlite(OR_SQL));
    driver = { pk: async (m) => pk.get(TENANT, m.id), or: async (m) => or.all(...orParams(m)), close: async () => void db.close() };
  } else {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`set search_path to "${schema}"`);
    driver = {
      pk: (m) => client.query({ name: 'pk', text: PK_SQL, values: [TENANT, m.id] }),
      or: (m) => client.query({ name: 'or', text: OR_SQL, values: orParams(m) }),
      close: () => client.end(),
    };
  }

  return {
    size,
    operations: {
      'HTTP round trip (/healthz)': async () => void (await (await fetch(`${address}/healthz`)).text()),
      'POST isolate by id': () => isolate(pick().id),
      'POST isolate by name': () => isolate(pick().name),
      'resolve() by id': () => resolve(pick().id),
      'resolve() by name': () => resolve(pick().name),
      [FLOOR]: async () => void (await driver.pk(pick())),
      'before: id OR name OR aadDeviceId query, by name (driver)': async () => void (await driver.or(pick())),
    },
    async close() {
      await driver.close();
      await app.close();
      if (engine === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const FLOOR = 'floor: primary-key SELECT (driver)';

/**
 * Times each operation on every fleet, one call per fleet in turn, so load from other work on the
 * machine falls on all fleets alike rather than on whichever ran first.
 */
async function measure(fleets: Fleet[]): Promise<Map<number, Record<string, Summary>>> {
  const samples = new Map(fleets.map((f) => [f.size, {} as Record<string, number[]>]));
  for (const name of Object.keys(fleets[0]!.operations)) {
    for (let i = -WARMUP; i < REQUESTS; i++) {
      for (const fleet of fleets) {
        const start = performance.now();
        const cleanUp = await fleet.operations[name]!();
        const elapsed = performance.now() - start;
        if (cleanUp) await cleanUp();
        if (i >= 0) (samples.get(fleet.size)![name] ??= []).push(elapsed);
      }
    }
  }
  return new Map([...samples].map(([size, byName]) => [size, Object.fromEntries(Object.entries(byName).map(([name, ms]) => [name, summarize(ms)]))]));
}

for (const engine of String(args.engines).split(',') as Array<'sqlite' | 'postgres'>) {
  const fleets: Fleet[] = [];
  try {
    for (const size of FLEETS) {
      process.stderr.write(`${engine}: seeding ${size} machines\n`);
      fleets.push(await openFleet(engine, size));
    }
    const byFleet = await measure(fleets);
    console.log(`\n## ${engine}: ${REQUESTS} calls per measurement and fleet (sequential, keep-alive, fleets in turn), fleets ${FLEETS.join(', ')}`);
    console.log(`| measurement | ${FLEETS.map((f) => `p50 / p99 at ${f}`).join(' | ')} |\n|---|${FLEETS.map(() => '---|').join('')}`);
    for (const name of Object.keys(byFleet.get(FLEETS[0]!)!)) {
      console.log(`| ${name} | ${FLEETS.map((f) => `${fmt(byFleet.get(f)![name]!.p50)} / ${fmt(byFleet.get(f)![name]!.p99)}`).join(' | ')} |`);
    }
    const [small, large] = [byFleet.get(FLEETS[0]!)!, byFleet.get(FLEETS[FLEETS.length - 1]!)!];
    for (const name of ['POST isolate by id', 'POST isolate by name']) {
      const floor = large[FLOOR]!.p50 + large['HTTP round trip (/healthz)']!.p50;
      console.log(`${name}: p50 at ${FLEETS[FLEETS.length - 1]} / p50 at ${FLEETS[0]} = ${(large[name]!.p50 / small[name]!.p50).toFixed(2)}x; at ${FLEETS[FLEETS.length - 1]}, p50 / (primary-key SELECT + HTTP round trip) = ${(large[name]!.p50 / floor).toFixed(2)}x`);
    }
  } finally {
    for (const fleet of fleets) await fleet.close();
  }
}
