/**
 * Dispatch benchmark: a real `cordon server` process and N simulated agents (lightweight
 * protocol clients: signed WebSocket upgrade, hello, accept, finish) spread over several worker
 * processes. For `--samples` isolations created through the public API it measures
 *   receive:   POST /api/machines/{id}/isolate response -> the agent has the action
 *   succeeded: POST response -> GET /api/machineactions/{id} reads Succeeded
 * and the server's resident memory per connected idle agent (RSS after connect - RSS before).
 *
 *   node --import tsx --import ./e2e/support/register.mjs bench/dispatch.ts --agents 10000 [--workers 4] [--samples 500] [--concurrency 8] [--database postgres://...]
 *
 * 10,000 sockets on each side need `ulimit -n` above ~10,100 in this shell (the server inherits it);
 * the script checks and says so.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import { createServer } from 'node:net';
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

const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
if (fdLimit < AGENTS + 200) {
  console.error(`ulimit -n is ${fdLimit}; ${AGENTS} agents need more. Run: ulimit -n ${AGENTS + 1000} (hard limit: ulimit -Hn)`);
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), 'cordon-bench-dispatch-'));
const port = await new Promise<number>((res) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const p = (probe.address() as { port: number }).port;
    probe.close(() => res(p));
  });
});
const serverUrl = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  CORDON_DATA: join(dir, 'server'),
  CORDON_PORT: String(port),
  CORDON_LOG_LEVEL: 'error',
  CORDON_HEARTBEAT_SECONDS: args.heartbeat!,
  CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 10_000_000, perHour: 100_000_000 } }),
  ...(args.database ? { CORDON_DATABASE_URL: args.database } : {}),
};
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

const server = spawn(process.execPath, [...NODE_ARGS, join(ROOT, 'packages/cli/src/main.ts'), 'server'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
children.push(server);
await new Promise<void>((res) => server.stdout!.on('data', (d: Buffer) => d.toString().includes('listening on') && res()));
const rss = async () => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;

// API token of the bootstrap admin app.
const cred = JSON.parse(await readFile(join(dir, 'server', 'credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
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
    const child = fork(join(ROOT, 'bench/dispatch-worker.ts'), [serverUrl, secret, String(count), String(w)], { execArgv: NODE_ARGS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const cpuTicks = async () => {
    const fields = (await readFile(`/proc/${server.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const before = await cpuTicks();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const used = (await cpuTicks()) - before;
  console.log(`  idle server CPU: ${(used / IDLE_SECONDS).toFixed(1)} % of a core over ${IDLE_SECONDS} s (${machineIds.length} agents, heartbeat every ${args.heartbeat} s)`);
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
console.log(`\ndispatch benchmark: ${AGENTS} agents, ${WORKERS} worker processes, ${SAMPLES - WARMUP} isolations (+${WARMUP} warm-up), ${CONCURRENCY} concurrent, status read every ${POLL_MS} ms, store ${args.database ? 'postgres' : 'sqlite'}`);
console.log(`  receive   (POST response -> agent has it): p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}  (negative = before the response reached the client)`);
console.log(`  receive   (POST sent -> agent has it):     p50 ${fmt(rs.p50)}  p99 ${fmt(rs.p99)}`);
console.log(`  succeeded (POST response -> GET reads Succeeded): p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}`);
console.log(`  server RSS: ${(rssBefore / 2 ** 20).toFixed(1)} MiB before connect, ${(rssAfter / 2 ** 20).toFixed(1)} MiB with ${AGENTS} idle agents -> ${((rssAfter - rssBefore) / AGENTS / 1024).toFixed(2)} KiB per agent`);

for (const c of children) c.kill('SIGKILL');
await rm(dir, { recursive: true, force: true });
process.exit(0);
