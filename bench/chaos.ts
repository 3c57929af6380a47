/**
 * Chaos test: a real `cordon server` on a private PostgreSQL cluster, N simulated agents
 * (bench/chaos-worker.ts) and M actions created through the public API, while the script
 *   - kills the server process with SIGKILL several times (and restarts it),
 *   - restarts PostgreSQL once (`pg_ctl restart -m fast`),
 *   - cuts agent connections at random (the workers do, `--cut-rate` per agent per second).
 * Every action is created with a unique ExternalId, so a create whose answer was lost to a kill is
 * found instead of repeated. Each device gets its actions one after another (the next once the
 * previous is final), so "the last completed isolate/release" is well defined. At the end it checks:
 *   - every intended action exists exactly once and is in one final status (none lost);
 *   - no device ran an action twice; every Succeeded action was run by its device, and no action
 *     the device ran ended otherwise;
 *   - each device's isolation state equals its last Succeeded Isolate/Unisolate.
 * Loopback only; bounded by --max-seconds; everything lives in a temp dir removed at the end.
 *
 *   node --import tsx --import ./e2e/support/register.mjs bench/chaos.ts [--agents 1000] [--actions 10000] [--kills 3] [--workers 4] [--cut-rate 0.01] [--concurrency 64] [--max-seconds 1200]
 *
 * Needs PostgreSQL's binaries (initdb, pg_ctl; /usr/lib/postgresql/<v>/bin) and, when run as root,
 * the `postgres` user to own the cluster. Exit 0 when every check holds, 1 otherwise.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    actions: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '3' },
    workers: { type: 'string', default: '4' },
    'cut-rate': { type: 'string', default: '0.01' },
    concurrency: { type: 'string', default: '64' },
    'max-seconds': { type: 'string', default: '1200' },
  },
});
const AGENTS = Number(args.agents);
const ACTIONS = Number(args.actions);
const KILLS = Number(args.kills);
const WORKERS = Math.min(Number(args.workers), AGENTS);
const CONCURRENCY = Number(args.concurrency);
const DEADLINE = Date.now() + Number(args['max-seconds']) * 1000;
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const NODE_ARGS = ['--import', 'tsx', '--import', join(ROOT, 'e2e/support/register.mjs')];
const FINAL = new Set(['Succeeded', 'Failed', 'TimeOut', 'Cancelled']);
const TYPES = ['Isolate', 'Unisolate', 'RunAntiVirusScan', 'RestrictCodeExecution', 'UnrestrictCodeExecution'] as const;
const SEGMENT: Record<(typeof TYPES)[number], { path: string; body: Record<string, unknown> }> = {
  Isolate: { path: 'isolate', body: { IsolationType: 'Full' } },
  Unisolate: { path: 'unisolate', body: {} },
  RunAntiVirusScan: { path: 'runAntiVirusScan', body: { ScanType: 'Quick' } },
  RestrictCodeExecution: { path: 'restrictCodeExecution', body: {} },
  UnrestrictCodeExecution: { path: 'unrestrictCodeExecution', body: {} },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
const freePort = () =>
  new Promise<number>((res) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => res(p));
    });
  });

// ---- private PostgreSQL ----
const pgBin = await (async () => {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? (await readdir(base)).sort() : [];
  const bin = versions.length ? join(base, versions.at(-1)!, 'bin') : '';
  if (!bin || !existsSync(join(bin, 'initdb'))) {
    console.error('chaos: PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql');
    process.exit(2);
  }
  return bin;
})();
const asRoot = process.getuid?.() === 0;
const pgRun = (cmd: string, cmdArgs: string[]) => execFileSync(asRoot ? 'runuser' : join(pgBin, cmd), asRoot ? ['-u', 'postgres', '--', join(pgBin, cmd), ...cmdArgs] : cmdArgs, { stdio: 'pipe' });

const dir = await mkdtemp(join(tmpdir(), 'cordon-chaos-'));
const pgData = join(dir, 'pg');
const pgSock = join(dir, 'pgsock');
await mkdir(pgSock);
if (asRoot) {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  await chmod(dir, 0o755);
  await chown(pgSock, uid, gid);
  await mkdir(pgData);
  await chown(pgData, uid, gid);
}
const pgPort = await freePort();
pgRun('initdb', ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-sync']);
const pgOpts = `-p ${pgPort} -k ${pgSock} -c listen_addresses=127.0.0.1 -c max_connections=200`;
pgRun('pg_ctl', ['-D', pgData, '-o', pgOpts, '-l', join(pgSock, 'pg.log'), '-w', 'start']);
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  try {
    pgRun('pg_ctl', ['-D', pgData, '-m', 'immediate', '-w', 'stop']);
  } catch {
    // already down
  }
};

// ---- the server ----
const port = await freePort();
const serverUrl = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  CORDON_DATA: join(dir, 'server'),
  CORDON_DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
  CORDON_PORT: String(port),
  CORDON_LOG_LEVEL: 'fatal',
  CORDON_REAPER_INTERVAL_SECONDS: '5',
  CORDON_RATE_LIMITS: JSON.stringify(Object.fromEntries(['default', 'getPackageUri', 'runLiveResponse', 'startInvestigation'].map((f) => [f, { perMinute: null, perHour: null }]))),
};
const children: ChildProcess[] = [];
process.on('exit', cleanup);
let server: ChildProcess | undefined;
let serverStarts = 0;
async function startServer(): Promise<void> {
  const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, 'packages/cli/src/main.ts'), 'server'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  server = child;
  serverStarts++;
  let errText = '';
  child.stderr!.on('data', (d: Buffer) => (errText = (errText + d.toString()).slice(-4000)));
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening on') && res());
    child.once('exit', (code) => rej(new Error(`server exited (${code}) before listening: ${errText}`)));
  });
  // A death we did not cause (e.g. on the PostgreSQL restart) is a finding: count it and restart.
  child.once('exit', (code, signal) => {
    if (signal === 'SIGKILL' || shuttingDown) return;
    unexpectedExits.push(`server exited by itself (${code ?? signal}): ${errText.slice(-500)}`);
    log(`server exited by itself (${code ?? signal}); restarting`);
    void startServer();
  });
}
let shuttingDown = false;
const unexpectedExits: string[] = [];
await startServer();
log(`server up on ${serverUrl}, PostgreSQL on 127.0.0.1:${pgPort}`);

const cred = JSON.parse(await readFile(join(dir, 'server', 'credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
const tokenRes = await fetch(`${serverUrl}/${cred.tenantId}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ client_id: cred.clientId, client_secret: cred.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' }),
});
const auth = { authorization: `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}` };
const pkgOut = execFileSync(process.execPath, [...NODE_ARGS, join(ROOT, 'packages/cli/src/main.ts'), 'onboarding-package', '--max-uses', String(AGENTS * 2)], { env, cwd: ROOT }).toString();
const secret = (JSON.parse(pkgOut) as { enrollmentSecret: string }).enrollmentSecret;

// ---- agents ----
const workers: ChildProcess[] = [];
const machineIds: string[] = [];
await Promise.all(
  Array.from({ length: WORKERS }, (_, w) => {
    const count = Math.floor(AGENTS / WORKERS) + (w < AGENTS % WORKERS ? 1 : 0);
    const child = fork(join(ROOT, 'bench/chaos-worker.ts'), [serverUrl, secret, String(count), String(w), args['cut-rate']], { execArgv: NODE_ARGS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    workers.push(child);
    return new Promise<void>((res) => child.on('message', (m: { kind: string; machineIds?: string[] }) => m.kind === 'enrolled' && (machineIds.push(...m.machineIds!), res())));
  }),
);
await Promise.all(workers.map((w) => new Promise<void>((res) => (w.on('message', (m: { kind: string }) => m.kind === 'connected' && res()), w.send({ kind: 'connect' })))));
log(`${machineIds.length} agents enrolled and connected`);

// ---- the API driver: every device gets its actions one after another ----
let transientErrors = 0;
let ambiguousCreates = 0;
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  for (;;) {
    if (Date.now() > DEADLINE) throw new Error('deadline');
    try {
      const res = await fetch(`${serverUrl}/api${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(15_000) });
      if (res.status >= 500) throw new Error(`status ${res.status}`);
      return { status: res.status, json: await res.json() };
    } catch (err) {
      if (method === 'POST') throw err; // the caller decides whether the create happened
      transientErrors++;
      await sleep(300 + Math.random() * 700);
    }
  }
}

interface Planned {
  externalId: string;
  machineId: string;
  seq: number;
  type: (typeof TYPES)[number];
  id?: string;
  status?: string;
}
const plan: Planned[][] = machineIds.map((machineId, m) =>
  Array.from({ length: Math.floor(ACTIONS / machineIds.length) + (m < ACTIONS % machineIds.length ? 1 : 0) }, (_, seq) => ({ externalId: `chaos-${m}-${seq}`, machineId, seq, type: TYPES[Math.floor(Math.random() * TYPES.length)]! })),
);

async function findByExternalId(externalId: string): Promise<{ id: string; status: string }[]> {
  const res = await api('GET', `/machineactions?$filter=${encodeURIComponent(`externalId eq '${externalId}'`)}`);
  return (res.json as { value: { id: string; status: string }[] }).value;
}

async function runOne(p: Planned): Promise<void> {
  const { path, body } = SEGMENT[p.type];
  while (!p.id) {
    if (Date.now() > DEADLINE) return;
    try {
      const res = await api('POST', `/machines/${p.machineId}/${path}`, { Comment: 'chaos', ExternalId: p.externalId, ...body });
      if (res.status === 201) {
        p.id = (res.json as { id: string }).id;
        break;
      }
      throw new Error(`create answered ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
    } catch {
      // No answer (server killed) or an error: did the create happen? The ExternalId tells.
      ambiguousCreates++;
      transientErrors++;
      await sleep(300 + Math.random() * 700);
      const found = await findByExternalId(p.externalId);
      if (found.length > 0) p.id = found[0]!.id;
    }
  }
  for (;;) {
    if (Date.now() > DEADLINE) return;
    const res = await api('GET', `/machineactions/${p.id}`);
    const status = (res.json as { status: string }).status;
    if (FINAL.has(status)) {
      p.status = status;
      return;
    }
    await sleep(150);
  }
}

let done = 0;
const t0 = Date.now();
const driver = (async () => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, plan.length) }, async () => {
      while (next < plan.length) {
        for (const p of plan[next++]!) {
          await runOne(p);
          done++;
        }
      }
    }),
  );
})();

// ---- chaos ----
let kills = 0;
let pgRestarts = 0;
// Faults at fixed fractions of the work (so a fast run cannot finish before them): kill k at
// (k+1)/(KILLS+1) of the actions, the PostgreSQL restart halfway between the first two kills.
const chaos = (async () => {
  const killAt = Array.from({ length: KILLS }, (_, k) => Math.floor((ACTIONS * (k + 1)) / (KILLS + 1)));
  const pgAt = KILLS > 1 ? Math.floor((killAt[0]! + killAt[1]!) / 2) : Math.floor(ACTIONS / 2);
  while (done < ACTIONS && Date.now() < DEADLINE) {
    await sleep(100 + Math.random() * 400);
    if (pgRestarts === 0 && done >= pgAt) {
      log(`restarting PostgreSQL (${done}/${ACTIONS} actions final)`);
      pgRun('pg_ctl', ['-D', pgData, '-o', pgOpts, '-l', join(pgSock, 'pg.log'), '-m', 'fast', '-w', 'restart']);
      pgRestarts++;
    }
    if (kills < KILLS && done >= killAt[kills]!) {
      log(`SIGKILL server pid ${server!.pid} (${done}/${ACTIONS} actions final)`);
      server!.kill('SIGKILL');
      kills++;
      await sleep(500 + Math.random() * 1500);
      await startServer();
      log('server restarted');
    }
  }
})();
const progress = setInterval(() => log(`${done}/${ACTIONS} actions final`), 15_000);
await Promise.all([driver, chaos]);
clearInterval(progress);
const elapsed = (Date.now() - t0) / 1000;
log(`driver finished in ${elapsed.toFixed(1)} s`);

// ---- checks ----
const reports = await Promise.all(
  workers.map((w) => new Promise<WorkerReport>((res) => (w.on('message', (m: WorkerReport & { kind: string }) => m.kind === 'report' && res(m)), w.send({ kind: 'report' })))),
);
interface WorkerReport {
  cuts: number;
  connectFailures: number;
  devices: { machineId: string; isolated: boolean; reconnects: number; journal: { id: string; type: string; phase: string; runs: number; ranAt: number | null; redispatches: number }[] }[];
}

const all: { id: string; externalId: string | null; status: string; machineId: string }[] = [];
for (let skip = 0; ; skip += 10_000) {
  const page = (await api('GET', `/machineactions?$top=10000&$skip=${skip}&$select=id,externalId,status,machineId`)).json as { value: typeof all };
  all.push(...page.value);
  if (page.value.length < 10_000) break;
}
const byExternal = new Map<string, typeof all>();
for (const a of all) if (a.externalId?.startsWith('chaos-')) byExternal.set(a.externalId, [...(byExternal.get(a.externalId) ?? []), a]);
const serverById = new Map(all.map((a) => [a.id, a]));
const journals = new Map(reports.flatMap((r) => r.devices).map((d) => [d.machineId, d]));

const failures: string[] = [];
const fail = (msg: string) => failures.length < 20 && failures.push(msg);
let missing = 0;
let duplicated = 0;
let notFinal = 0;
let ranTwice = 0;
let succeededNotRun = 0;
let ranNotSucceeded = 0;
let isolationMismatch = 0;
let redispatches = 0;
const statusCount: Record<string, number> = {};
for (const p of plan.flat()) {
  const rows = byExternal.get(p.externalId) ?? [];
  if (rows.length === 0) {
    missing++;
    fail(`${p.externalId} was never created`);
  }
  if (rows.length > 1) {
    duplicated++;
    fail(`${p.externalId} exists ${rows.length} times`);
  }
  const row = rows[0];
  if (!row) continue;
  statusCount[row.status] = (statusCount[row.status] ?? 0) + 1;
  if (!FINAL.has(row.status)) {
    notFinal++;
    fail(`${p.externalId} ended ${row.status}`);
  }
  const entry = journals.get(p.machineId)?.journal.find((e) => e.id === row.id);
  redispatches += entry?.redispatches ?? 0;
  if ((entry?.runs ?? 0) > 1) {
    ranTwice++;
    fail(`${row.id} ran ${entry!.runs} times`);
  }
  const ran = (entry?.runs ?? 0) > 0;
  if (row.status === 'Succeeded' && !ran) {
    succeededNotRun++;
    fail(`${row.id} Succeeded but its device never ran it`);
  }
  if (ran && row.status !== 'Succeeded') {
    ranNotSucceeded++;
    fail(`${row.id} ran but ended ${row.status}`);
  }
}
for (const [m, steps] of plan.entries()) {
  const device = journals.get(machineIds[m]!);
  const last = [...steps].reverse().find((p) => (p.type === 'Isolate' || p.type === 'Unisolate') && byExternal.get(p.externalId)?.[0]?.status === 'Succeeded');
  const expected = last?.type === 'Isolate';
  if (device && device.isolated !== expected) {
    isolationMismatch++;
    fail(`device ${machineIds[m]} isolated=${device.isolated}, last completed says ${expected}`);
  }
}
// Any journal entry the server does not know is an action the device ran from nowhere.
for (const d of journals.values()) for (const e of d.journal) if (!serverById.has(e.id)) fail(`device ${d.machineId} holds unknown action ${e.id}`);

const cuts = reports.reduce((n, r) => n + r.cuts, 0);
const reconnects = reports.flatMap((r) => r.devices).reduce((n, d) => n + d.reconnects, 0);
shuttingDown = true;
for (const e of unexpectedExits) fail(e);
const ok = failures.length === 0 && missing + duplicated + notFinal + ranTwice + succeededNotRun + ranNotSucceeded + isolationMismatch === 0;
console.log(`
chaos: ${machineIds.length} agents (${WORKERS} worker processes), ${ACTIONS} actions, store postgres, ${elapsed.toFixed(0)} s
  faults: ${kills} server SIGKILLs (${serverStarts} starts, ${unexpectedExits.length} unexpected exits), ${pgRestarts} PostgreSQL restart, ${cuts} random connection cuts, ${reconnects} agent reconnects
  api: ${ambiguousCreates} creates without an answer (resolved by ExternalId), ${transientErrors} failed calls retried
  final statuses: ${JSON.stringify(statusCount)}
  lost (never created or not final): ${missing + notFinal}; created twice: ${duplicated}
  ran twice on a device: ${ranTwice} (re-dispatches absorbed by the journal: ${redispatches})
  Succeeded but not run: ${succeededNotRun}; ran but not Succeeded: ${ranNotSucceeded}
  isolation state differing from the last completed isolate/release: ${isolationMismatch} of ${machineIds.length} devices
  result: ${ok ? 'PASS' : 'FAIL'}`);
for (const f of failures) console.log(`  - ${f}`);

cleanup();
await rm(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
