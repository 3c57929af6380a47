/**
 * Control-plane query benchmark: seeds 1,000,000 actions over 10,000 machines, then times
 *   Q1  GET /api/machineactions?$filter=machineId eq '<id>'&$top=100
 *   Q2  GET /api/machineactions?$filter=status eq 'Pending' and type eq 'Isolate'&$top=100
 *   Q3  GET /api/machineactions (the default page: 10,000 rows)
 * over a real loopback HTTP connection, next to two floors measured in the same run: the same SQL
 * run directly on the engine's driver (no Kysely, no HTTP), and a bare HTTP round trip (/healthz).
 *
 * The server runs in a child process of its own (buildApp + listen on the seeded database, as
 * `cordon server` would), so the client's fetch and JSON parsing do not share its event loop. The
 * API rows still include the client's parse (the floor's rows are objects too); a row per query
 * shows that parse alone. "CPU per call" is the server process's CPU per request for API rows, the
 * bench process's per query for floors: less disturbed by other load than latency is. `--cpu-prof DIR` writes the server process's V8 CPU profile there.
 *
 *   node --import tsx bench/api-queries.ts [--actions N] [--machines N] [--requests N] [--engines sqlite,postgres] [--cpu-prof DIR] [--queries q1,q2,q3]
 *
 * PostgreSQL: CORDON_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test), in a private
 * schema dropped at the end. The bench imports the drivers directly for the floor: that is its job.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, toActionRow, toMachineRow, type Store } from '@cordon/store';
import { makeAction, makeMachine } from '@cordon/store/fixtures';
import { APP_PERMISSIONS, ACTION_TYPES, toMdeTimestamp, type ActionStatus } from '@cordon/protocol';
import { buildApp, createApplication, loadConfig, loggerOptions, randomIds, systemClock } from '@cordon/server';
import { summarize, timeMany, fmt, type Summary } from './stats.js';

const { values: args } = parseArgs({
  options: {
    actions: { type: 'string', default: '1000000' },
    machines: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '2000' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    'cpu-prof': { type: 'string' },
    queries: { type: 'string', default: 'q1,q2,q3' },
  },
});
const ACTIONS = Number(args.actions);
const MACHINES = Number(args.machines);
const REQUESTS = Number(args.requests);
/** A 10,000-row page takes tens of milliseconds; fewer samples keep the run short. */
const PAGE_REQUESTS = Math.max(50, Math.round(REQUESTS / 10));
const QUERIES = new Set(String(args.queries).toLowerCase().split(','));
const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TENANT = '11111111-1111-4111-8111-111111111111';

const Q1_SQL = `select "a".* from "machine_actions" as "a" where "a"."tenant_id" = $1 and "a"."machine_id" = $2 order by "a"."creation_date_time_utc" desc, "a"."id" desc limit $3 offset $4`;
const Q2_SQL = `select "a".* from "machine_actions" as "a" where "a"."tenant_id" = $1 and ("a"."status" = $2 and "a"."type" = $3) order by "a"."creation_date_time_utc" desc, "a"."id" desc limit $4 offset $5`;
const Q3_SQL = `select "a".* from "machine_actions" as "a" where "a"."tenant_id" = $1 order by "a"."creation_date_time_utc" desc, "a"."id" desc limit $2 offset $3`;
const sqlite = (text: string) => text.replace(/\$\d+/g, '?');

/** Deterministic pseudo-random numbers, so every run seeds the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function seed(store: Store): Promise<string[]> {
  const random = rng(42);
  await store.identity.createTenant({ id: TENANT, name: 'bench', createdAt: toMdeTimestamp(Date.now()) });
  const machineIds: string[] = [];
  const machineRows = [];
  for (let i = 0; i < MACHINES; i++) {
    const m = makeMachine({ tenantId: TENANT, computerDnsName: `bench-${i}.corp.example` });
    machineIds.push(m.id);
    machineRows.push(toMachineRow(m));
  }
  const chunk = 500;
  for (let i = 0; i < machineRows.length; i += chunk) await store.db.insertInto('machines').values(machineRows.slice(i, i + chunk) as never).execute();
  const base = Date.UTC(2025, 0, 1);
  const types = ACTION_TYPES.filter((t) => t !== 'LiveResponse');
  const finals: ActionStatus[] = ['Succeeded', 'Succeeded', 'Succeeded', 'Failed', 'Cancelled', 'TimeOut'];
  const started = performance.now();
  const batch = 1000;
  for (let i = 0; i < ACTIONS; i += batch) {
    const rows: ReturnType<typeof toActionRow>[] = [];
    for (let j = i; j < Math.min(ACTIONS, i + batch); j++) {
      const machineId = machineIds[j % MACHINES]!;
      const created = toMdeTimestamp(base + j * 1000);
      // The newest action of each machine's last round stays open, so ~1% of actions are Pending.
      const open = j >= ACTIONS - MACHINES;
      const type = open ? 'Isolate' : types[Math.floor(random() * types.length)]!;
      const status: ActionStatus = open ? 'Pending' : finals[Math.floor(random() * finals.length)]!;
      rows.push(toActionRow(makeAction({ tenantId: TENANT, machineId, type, status, creationDateTimeUtc: created, lastUpdateDateTimeUtc: created })));
    }
    await store.db.transaction().execute((trx) => trx.insertInto('machine_actions').values(rows as never).execute());
    if ((i / batch) % 100 === 0) process.stderr.write(`\r  seeded ${i + rows.length}/${ACTIONS} actions`);
  }
  process.stderr.write(`\r  seeded ${ACTIONS} actions in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return machineIds;
}

/** A latency summary, with the CPU its process spent per call (server process for API rows). */
type Measured = Summary & { cpuMs?: number };

const cpuNowMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** `timeMany`, plus the CPU `cpuOf` (a process's user + system ms) moved by per call, warm-up included. */
async function measure(n: number, warmup: number, fn: () => unknown, cpuOf: () => Promise<number> | number): Promise<Measured> {
  const before = await cpuOf();
  const samples = await timeMany(n, warmup, fn);
  const after = await cpuOf();
  return { ...summarize(samples), cpuMs: (after - before) / (n + warmup) };
}

async function runEngine(engine: 'sqlite' | 'postgres'): Promise<Record<string, Measured>> {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-'));
  const schema = `cordon_bench_${process.pid}`;
  const store = engine === 'sqlite' ? await openStore({ sqlitePath: join(dir, 'bench.db') }) : await openStore({ url: PG_URL, pgSchema: schema });
  let server: BenchServer | undefined;
  let storeOpen = true;
  try {
    process.stderr.write(`${engine}: seeding ${MACHINES} machines, ${ACTIONS} actions\n`);
    const machineIds = await seed(store);
    await sql`analyze`.execute(store.db); // fresh statistics, as a long-running database would have
    const created = await createApplication(store.identity, { tenantId: TENANT, name: 'bench', roles: [...APP_PERMISSIONS] }, { clock: systemClock, ids: randomIds });
    // SQLite: the server process opens the file itself, as `cordon server` does; one writer at a time.
    if (engine === 'sqlite') {
      await store.close();
      storeOpen = false;
    }
    server = await startServer({ engine, dir, schema });
    const address = server.address;
    const tokenRes = await fetch(`${address}/${TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: created.clientId, client_secret: created.clientSecret, grant_type: 'client_credentials', scope: 'x/.default' }),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}` };
    const random = rng(7);
    const pick = () => machineIds[Math.floor(random() * machineIds.length)]!;
    const get = async (query: string) => {
      const res = await fetch(`${address}/api/machineactions?${query}`, { headers });
      const body = (await res.json()) as { value?: unknown[] };
      if (res.status !== 200 || !Array.isArray(body.value)) throw new Error(`bench request failed: ${res.status}`);
      return body.value.length;
    };
    const serverCpu = () => server!.cpuMs();
    const q1 = () => `$filter=${encodeURIComponent(`machineId eq '${pick()}'`)}&$top=100`;
    const q2 = () => `$filter=${encodeURIComponent("status eq 'Pending' and type eq 'Isolate'")}&$top=100`;
    const q3 = () => '';

    const out: Record<string, Measured> = {};
    out['HTTP round trip (/healthz)'] = await measure(REQUESTS, 200, async () => (await fetch(`${address}/healthz`)).text(), serverCpu);
    if (QUERIES.has('q1')) out['Q1 API machineId eq, $top=100'] = await measure(REQUESTS, 200, () => get(q1()), serverCpu);
    if (QUERIES.has('q2')) out['Q2 API status+type eq, $top=100'] = await measure(REQUESTS, 200, () => get(q2()), serverCpu);
    if (QUERIES.has('q3')) out['Q3 API default page (10,000 rows)'] = await measure(PAGE_REQUESTS, 20, () => get(q3()), serverCpu);
    // What the client alone spends turning a response body into objects (counted in the API rows).
    for (const [q, query, n] of [['Q1', q1, REQUESTS], ['Q2', q2, REQUESTS], ['Q3', q3, PAGE_REQUESTS]] as const) {
      if (!QUERIES.has(q.toLowerCase())) continue;
      const text = await (await fetch(`${address}/api/machineactions?${query()}`, { headers })).text();
      out[`${q} client JSON.parse of one body (${(text.length / 1024).toFixed(0)} KiB)`] = await measure(n, 20, () => JSON.parse(text), cpuNowMs);
    }

    // Floors: the same SQL straight on the driver (what the API adds is Kysely, mapping, auth, JSON, HTTP).
    if (engine === 'sqlite') {
      const db = new Database(join(dir, 'bench.db'), { readonly: true });
      const q1 = db.prepare(sqlite(Q1_SQL));
      const q2 = db.prepare(sqlite(Q2_SQL));
      if (QUERIES.has('q1')) out['Q1 direct SQL'] = await measure(REQUESTS, 200, () => q1.all(TENANT, pick(), 101, 0), cpuNowMs);
      if (QUERIES.has('q2')) out['Q2 direct SQL'] = await measure(REQUESTS, 200, () => q2.all(TENANT, 'Pending', 'Isolate', 101, 0), cpuNowMs);
      const q3 = db.prepare(sqlite(Q3_SQL));
      if (QUERIES.has('q3')) out['Q3 direct SQL'] = await measure(PAGE_REQUESTS, 20, () => q3.all(TENANT, 10001, 0), cpuNowMs);
      db.close();
    } else {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`set search_path to "${schema}"`);
      if (QUERIES.has('q1')) out['Q1 direct SQL'] = await measure(REQUESTS, 200, () => client.query({ name: 'q1', text: Q1_SQL, values: [TENANT, pick(), 101, 0] }), cpuNowMs);
      if (QUERIES.has('q2')) out['Q2 direct SQL'] = await measure(REQUESTS, 200, () => client.query({ name: 'q2', text: Q2_SQL, values: [TENANT, 'Pending', 'Isolate', 101, 0] }), cpuNowMs);
      if (QUERIES.has('q3')) out['Q3 direct SQL'] = await measure(PAGE_REQUESTS, 20, () => client.query({ name: 'q3', text: Q3_SQL, values: [TENANT, 10001, 0] }), cpuNowMs);
      await client.end();
    }
    return out;
  } finally {
    await server?.stop();
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
    if (storeOpen) await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ServeSpec {
  engine: 'sqlite' | 'postgres';
  dir: string;
  schema: string;
}

interface BenchServer {
  address: string;
  /** The server process's CPU so far (user + system, ms). */
  cpuMs: () => Promise<number>;
  stop: () => Promise<void>;
}

/** Starts this file again as the server process and waits for the address it listens on. */
async function startServer(spec: ServeSpec): Promise<BenchServer> {
  const prof = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['cpu-prof']] : [];
  // Its log goes to a file, as a service's stdout would; fd 3 carries its answers to the bench.
  const log = openSync(join(spec.dir, 'server.log'), 'a');
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, CORDON_BENCH_SERVE: JSON.stringify(spec) },
    stdio: ['pipe', log, 'inherit', 'pipe'],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The child answers each line it reads on stdin with one line on stdout, in order.
  const waiting: Array<(line: string) => void> = [];
  const lines = createInterface({ input: child.stdio[3] as NodeJS.ReadableStream });
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  const address = await Promise.race([
    nextLine(),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))),
  ]);
  return {
    address,
    cpuMs: async () => {
      const answer = nextLine();
      child.stdin!.write('cpu\n');
      return Number(await answer);
    },
    // Closing stdin asks the server to close (and so to write its CPU profile, which SIGKILL would lose).
    stop: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

/** The server process: the seeded database behind buildApp, as `cordon server` runs it. */
async function serve(spec: ServeSpec): Promise<void> {
  const store = spec.engine === 'sqlite' ? await openStore({ sqlitePath: join(spec.dir, 'bench.db') }) : await openStore({ url: PG_URL, pgSchema: spec.schema });
  const config = loadConfig({ CORDON_PORT: '0', CORDON_DATA: spec.dir, CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: null, perHour: null } }) });
  // With `cordon server`'s logger (CORDON_LOG_LEVEL, default info: a line per request).
  const { app } = await buildApp({ config, store, logger: loggerOptions(config.logLevel) });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  writeSync(3, `${address}\n`);
  const commands = createInterface({ input: process.stdin });
  commands.on('line', () => writeSync(3, `${cpuNowMs()}\n`));
  await new Promise((resolve) => commands.once('close', resolve));
  await app.close();
  await store.close();
  process.exit(0);
}

const serveSpec = process.env.CORDON_BENCH_SERVE;
if (serveSpec) await serve(JSON.parse(serveSpec) as ServeSpec);

for (const engine of String(args.engines).split(',') as Array<'sqlite' | 'postgres'>) {
  const results = await runEngine(engine);
  console.log(`\n## ${engine}: ${ACTIONS} actions, ${MACHINES} machines, ${REQUESTS} requests per query (sequential, keep-alive)`);
  console.log('| measurement | p50 | p99 | mean | CPU per call |\n|---|---|---|---|---|');
  for (const [name, s] of Object.entries(results)) console.log(`| ${name} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.mean)} | ${s.cpuMs === undefined ? '' : fmt(s.cpuMs)} |`);
  for (const q of ['Q1', 'Q2', 'Q3'].filter((name) => QUERIES.has(name.toLowerCase()))) {
    const api = Object.entries(results).find(([k]) => k.startsWith(`${q} API`))![1];
    const direct = results[`${q} direct SQL`]!;
    const rt = results['HTTP round trip (/healthz)']!;
    console.log(
      `${q}: API p50 / direct SQL p50 = ${(api.p50 / direct.p50).toFixed(2)}x; API p50 / (SQL + HTTP round trip) p50 = ${(api.p50 / (direct.p50 + rt.p50)).toFixed(2)}x; ` +
        `server CPU per request / direct SQL CPU per query = ${(api.cpuMs! / direct.cpuMs!).toFixed(2)}x`,
    );
  }
}
