/**
 * Dispatch benchmark: a real `cordon server` process and N simulated agents (lightweight
 * protocol clients: signed WebSocket upgrade, hello, accept, finish) spread over several worker
 * processes. For `--samples` isolations created through the public API it measures
 *   receive:   POST /api/machines/{id}/isolate response -> the agent has the action
 *   succeeded: POST response -> GET /api/machineactions/{id} reads Succeeded
 * and the servers' resident memory per connected idle agent (RSS after connect - RSS before).
 *
 *   node --import tsx --import ./e2e/support/register.mjs bench/dispatch.ts --agents 10000 [--workers 4] [--samples 500] [--concurrency 8] [--database postgres://...]
 *
 * Large fleets: `--servers K` runs K server processes on one PostgreSQL database (the supported
 * multi-node mode; agents are spread over them, the API is called on the first), `--sources N`
 * connects agents from 127.0.0.1 … 127.0.0.N, and `--storm` SIGKILLs every server once the
 * latency run is done, restarts them and times how long the fleet takes to be connected again.
 * Each process (server or worker) holds about agents/K or agents/workers sockets, which must stay
 * under `ulimit -n` (this machine's hard limit is 20,000); the script checks and says so.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { summarize, fmt } from './stats.js';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '4' },
    samples: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '8' },
    'poll-ms': { type: 'string', default: '2' },
    database: { type: 'string' },
    /** Agents' heartbeat interval; the default keeps idle agents silent during the latency run. */
    heartbeat: { type: 'string', default: '300' },
    /** Seconds of idle server CPU to measure once the agents are connected (0: none). */
    'idle-seconds': { type: 'string', default: '0' },
    servers: { type: 'string', default: '1' },
    sources: { type: 'string', default: '1' },
    storm: { type: 'boolean', default: false },
    /** How long the storm may take before the bench reports the agents it could not reach. */
    'storm-deadline-seconds': { type: 'string', default: '60' },
  },
});
const AGENTS = Number(args.agents);
const WORKERS = Math.min(Number(args.workers), AGENTS);
const WARMUP = Number(args.warmup);
const SAMPLES = Number(args.samples) + WARMUP;
const CONCURRENCY = Number(args.concurrency);
/** Pause between two status reads of one action: a tight loop would measure the bench's own load. */
const POLL_MS = Number(args['poll-ms']);
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const NODE_ARGS = ['--import', 'tsx', '--import', join(ROOT, 'e2e/support/register.mjs')];
const now = () => performance.timeOrigin + performance.now();

const SERVERS = Number(args.servers);
if (SERVERS > 1 && !args.database) {
  console.error('--servers above 1 needs --database postgres://…: several processes share one PostgreSQL (SQLite is one process)');
  process.exit(2);
}
const SOURCES = Array.from({ length: Number(args.sources) }, (_, i) => `127.0.0.${i + 1}`);
const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
const perProcess = Math.max(Math.ceil(AGENTS / SERVERS), Math.ceil(AGENTS / WORKERS)) + 200;
if (fdLimit < perProcess) {
  console.error(`ulimit -n is ${fdLimit}; ${AGENTS} agents over ${SERVERS} server(s) and ${WORKERS} worker(s) need ${perProcess} per process. Raise ulimit -n (hard limit: ulimit -Hn) or use more --servers/--workers`);
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), 'cordon-bench-dispatch-'));
// --database names a PostgreSQL server; the bench runs on a database of its own there, dropped at the end.
let databaseUrl: string | undefined;
let dropDatabase = () => {};
if (args.database) {
  const dbName = `cordon_bench_dispatch_${process.pid}`;
  const admin = new pg.Client({ connectionString: args.database });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(args.database);
  u.pathname = `/${dbName}`;
  databaseUrl = u.toString();
  dropDatabase = () => execSync(`psql ${JSON.stringify(args.database)} -qc "DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)"`, { stdio: 'ignore' });
  process.on('exit', () => {
    try {
      dropDatabase();
    } catch {
      // best effort at exit: the database name carries the pid, so a leftover is recognisable
    }
  });
}
const freePort = () =>
  new Promise<number>((res) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => res(p));
    });
  });
const ports = await Promise.all(Array.from({ length: SERVERS }, freePort));
const serverUrls = ports.map((p) => `http://127.0.0.1:${p}`);
const serverUrl = serverUrls[0]!;
const envOf = (i: number) => ({
  ...process.env,
  CORDON_DATA: join(dir, `server-${i}`),
  CORDON_PORT: String(ports[i]),
  CORDON_LOG_LEVEL: 'error',
  CORDON_HEARTBEAT_SECONDS: args.heartbeat!,
  CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 10_000_000, perHour: 100_000_000 } }),
  ...(databaseUrl ? { CORDON_DATABASE_URL: databaseUrl } : {}),
});
const env = envOf(0);
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

async function startServer(i: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, 'packages/cli/src/main.ts'), 'server'], { env: envOf(i), stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((res) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening on') && res()));
  return child;
}
// The first start creates the tenant, the admin app and credentials.json; the others join it.
const servers: ChildProcess[] = [await startServer(0)];
for (let i = 1; i < SERVERS; i++) servers.push(await startServer(i));
const rssOf = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const rss = async () => (await Promise.all(servers.map((s) => rssOf(s.pid!)))).reduce((a, b) => a + b, 0);

// API token of the bootstrap admin app.
const cred = JSON.parse(await readFile(join(dir, 'server-0', 'credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
const tokenRes = await fetch(`${serverUrl}/${cred.tenantId}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ client_id: cred.clientId, client_secret: cred.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' }),
});
const token = ((await tokenRes.json()) as { access_token: string }).access_token;
const auth = { authorization: `Bearer ${token}` };

// One package for all simulated devices (max uses = N).
const pkgOut = execSync(`${process.execPath} ${NODE_ARGS.join(' ')} ${join(ROOT, 'packages/cli/src/main.ts')} onboarding-package --max-uses ${AGENTS}`, { env, cwd: ROOT }).toString();
const secret = (JSON.parse(pkgOut) as { enrollmentSecret: string }).enrollmentSecret;

const received = new Map<string, number>();
const waiters = new Map<string, (t: number) => void>();
const workers: ChildProcess[] = [];
const machineIds: string[] = [];
const t0 = Date.now();
await Promise.all(
  Array.from({ length: WORKERS }, (_, w) => {
    const count = Math.floor(AGENTS / WORKERS) + (w < AGENTS % WORKERS ? 1 : 0);
    const child = fork(join(ROOT, 'bench/dispatch-worker.ts'), [serverUrls.join(','), secret, String(count), String(w), SOURCES.join(',')], { execArgv: NODE_ARGS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    workers.push(child);
    child.on('message', (m: { kind: string; actionId?: string; receivedAt?: number }) => {
      if (m.kind === 'received') {
        received.set(m.actionId!, m.receivedAt!);
        waiters.get(m.actionId!)?.(m.receivedAt!);
      }
    });
    return new Promise<void>((res) =>
      child.on('message', (m: { kind: string; machineIds?: string[] }) => {
        if (m.kind === 'enrolled') {
          machineIds.push(...m.machineIds!);
          res();
        }
      }),
    );
  }),
);
console.log(`enrolled ${machineIds.length} agents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, 2000));
const rssBefore = await rss();
const t1 = Date.now();
await Promise.all(workers.map((w) => new Promise<void>((res) => {
  w.on('message', (m: { kind: string }) => m.kind === 'connected' && res());
  w.send({ kind: 'connect' });
})));
console.log(`connected ${machineIds.length} agents in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, 5000)); // idle: let connection setup garbage go
const rssAfter = await rss();
const IDLE_SECONDS = Number(args['idle-seconds']);
if (IDLE_SECONDS > 0) {
  // utime + stime of the server process, in clock ticks (100 per second on Linux).
  const ticksOf = async (pid: number) => {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const cpuTicks = async () => (await Promise.all(servers.map((s) => ticksOf(s.pid!)))).reduce((a, b) => a + b, 0);
  const before = await cpuTicks();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const used = (await cpuTicks()) - before;
  console.log(`  idle server CPU: ${(used / IDLE_SECONDS).toFixed(1)} % of a core over ${IDLE_SECONDS} s, all ${SERVERS} server process(es) together (${machineIds.length} agents, heartbeat every ${args.heartbeat} s)`);
}

// Latency samples: CONCURRENCY loops, each isolating a random agent and following the action.
const receiveMs: number[] = [];
const receiveFromSendMs: number[] = [];
const succeededMs: number[] = [];
let next = 0;
// A machine has one Isolate in flight at a time (a second would be ActiveRequestAlreadyExists).
const busy = new Set<string>();
const pick = () => {
  for (;;) {
    const id = machineIds[Math.floor(Math.random() * machineIds.length)]!;
    if (!busy.has(id)) {
      busy.add(id);
      return id;
    }
  }
};
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < SAMPLES) {
      const sample = next++;
      const machineId = pick();
      const sent = now();
      const res = await fetch(`${serverUrl}/api/machines/${machineId}/isolate`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ Comment: 'bench', IsolationType: 'Full' }) });
      const responded = now();
      if (res.status !== 201) throw new Error(`isolate: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      const gotAt = received.get(id) ?? (await new Promise<number>((r) => waiters.set(id, r)));
      waiters.delete(id);
      const timed = sample >= WARMUP; // the first runs warm the JIT and caches; not counted
      if (timed) receiveMs.push(gotAt - responded);
      if (timed) receiveFromSendMs.push(gotAt - sent);
      for (;;) {
        const a = (await (await fetch(`${serverUrl}/api/machineactions/${id}`, { headers: auth })).json()) as { status: string };
        if (a.status === 'Succeeded') break;
        if (a.status !== 'Pending' && a.status !== 'InProgress') throw new Error(`action ${id} ended ${a.status}`);
        if (POLL_MS > 0) await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (timed) succeededMs.push(now() - responded);
      busy.delete(machineId);
    }
  }),
);

const r = summarize(receiveMs);
const rs = summarize(receiveFromSendMs);
const s = summarize(succeededMs);
console.log(`\ndispatch benchmark: ${AGENTS} agents, ${SERVERS} server process(es), ${WORKERS} worker processes, ${SOURCES.length} source address(es), ${SAMPLES - WARMUP} isolations (+${WARMUP} warm-up), ${CONCURRENCY} concurrent, status read every ${POLL_MS} ms, store ${args.database ? 'postgres' : 'sqlite'}`);
console.log(`  receive   (POST response -> agent has it): p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}  (negative = before the response reached the client)`);
console.log(`  receive   (POST sent -> agent has it):     p50 ${fmt(rs.p50)}  p99 ${fmt(rs.p99)}`);
console.log(`  succeeded (POST response -> GET reads Succeeded): p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}`);
console.log(`  server RSS: ${(rssBefore / 2 ** 20).toFixed(1)} MiB before connect, ${(rssAfter / 2 ** 20).toFixed(1)} MiB with ${AGENTS} idle agents -> ${((rssAfter - rssBefore) / AGENTS / 1024).toFixed(2)} KiB per agent`);

type WorkerStatus = { kind: 'status'; clients: number; ready: number; failures: number; notReadyBy: Record<string, number> };
const fleetStatus = async () => {
  const all = await Promise.all(
    workers.map(
      (w) =>
        new Promise<WorkerStatus>((res) => {
          const on = (m: { kind: string }) => {
            if (m.kind !== 'status') return;
            w.off('message', on);
            res(m as WorkerStatus);
          };
          w.on('message', on);
          w.send({ kind: 'status' });
        }),
    ),
  );
  const notReadyBy: Record<string, number> = {};
  for (const st of all) for (const [k, v] of Object.entries(st.notReadyBy)) notReadyBy[k] = (notReadyBy[k] ?? 0) + v;
  return { ready: all.reduce((n, st) => n + st.ready, 0), failures: all.reduce((n, st) => n + st.failures, 0), notReadyBy };
};

let stormOk = true;
if (args.storm) {
  // Every server dies at once; the agents see their sockets close and retry with backoff while
  // the servers come back. The storm is absorbed when every agent has a hello answered again.
  const before = await fleetStatus();
  for (const srv of servers) srv.kill('SIGKILL');
  await Promise.all(servers.map((srv) => new Promise((res) => (srv.exitCode !== null || srv.signalCode !== null ? res(null) : srv.once('exit', res)))));
  const killedAt = now();
  for (let i = 0; i < SERVERS; i++) servers[i] = await startServer(i);
  const restartedAt = now();
  const deadline = killedAt + Number(args['storm-deadline-seconds']) * 1000;
  let st = await fleetStatus();
  while (st.ready < AGENTS && now() < deadline) {
    await new Promise((res) => setTimeout(res, 250));
    st = await fleetStatus();
  }
  const absorbedAt = now();
  stormOk = st.ready === AGENTS;
  console.log(`  reconnect storm: ${SERVERS} server(s) SIGKILLed with ${before.ready} agents connected; servers listening again after ${((restartedAt - killedAt) / 1000).toFixed(1)} s;`);
  console.log(`    ${st.ready} of ${AGENTS} agents connected again ${((absorbedAt - killedAt) / 1000).toFixed(1)} s after the kill (${((absorbedAt - restartedAt) / 1000).toFixed(1)} s after the restart); ${st.failures - before.failures} failed connection attempts on the way`);
  if (!stormOk) console.log(`    NOT reached within ${args['storm-deadline-seconds']} s: ${AGENTS - st.ready} agents, by last error: ${JSON.stringify(st.notReadyBy)}`);
}

for (const w of workers) w.send({ kind: 'stop' });
for (const c of children) c.kill('SIGKILL');
await rm(dir, { recursive: true, force: true });
process.exit(stormOk ? 0 : 1);
