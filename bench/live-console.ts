/**
 * Live response console benchmark: a real `cordon server` and a real `cordon agent` on loopback (the
 * agent with `--platform fake`, so no action touches this host; console commands such as `dir` and
 * `fileinfo` read the host's files for real), one session opened through the public API. It measures
 *   first output: POST …/commands {fileinfo <small file>} sent -> the first `output` event of that
 *                 command on the session's event stream (SSE), i.e. server → signed live/command →
 *                 agent → live/output → database → stream;
 *   dir 10,000:   POST {dir <directory of 10,000 files>} sent -> the command's Completed event;
 * next to floors measured in the same run: the HTTPS round trip of `GET /healthz` on the same
 * keep-alive connection, and `ls -l` of the same directory (what a person at the device would run).
 *
 *   npm run bench:live -- [--samples 300] [--entries 10000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killAll, spawnCordon, startTestServer, stop, waitFor, type Api } from '../e2e/support/cluster.js';
import { fmt, summarize } from './stats.js';

const { values: args } = parseArgs({
  options: {
    samples: { type: 'string', default: '300' },
    entries: { type: 'string', default: '10000' },
    'dir-runs': { type: 'string', default: '10' },
  },
});
const SAMPLES = Number(args.samples);
const ENTRIES = Number(args.entries);
const DIR_RUNS = Number(args['dir-runs']);
const SESSIONS = '/api/cordon/liveresponse/sessions';

interface SeenEvent {
  at: number;
  event: string;
  data: { id?: number; commandId?: number; status?: string };
}

/** Follows a session's event stream; every event with the moment it arrived. */
function follow(api: Api, sessionId: string, onEvent: (e: SeenEvent) => void): () => void {
  const url = new URL(`${SESSIONS}/${sessionId}/events`, api.baseUrl);
  const req = request(url, { agent: new Agent({ rejectUnauthorized: false }), headers: { authorization: `Bearer ${api.token}`, accept: 'text/event-stream' } }, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const at = performance.now();
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = block.split('\n').find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (data) onEvent({ at, event, data: JSON.parse(data) });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

const dir = await mkdtemp(join(tmpdir(), 'cordon-bench-live-'));
let agent: ReturnType<typeof spawnCordon> | undefined;
let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
let unfollow = () => {};
try {
  const big = join(dir, 'big');
  await mkdir(big);
  for (let i = 0; i < ENTRIES; i += 500) await Promise.all(Array.from({ length: Math.min(500, ENTRIES - i) }, (_, j) => writeFile(join(big, `entry-${String(i + j).padStart(5, '0')}.txt`), 'x')));
  const small = join(dir, 'small.txt');
  await writeFile(small, 'small\n');

  server = await startTestServer(dir);
  const { api } = server;
  const onboarding = await server.onboardingPackage(join(dir, 'onboarding.json'));
  agent = spawnCordon(['agent', '--state', join(dir, 'agent'), '--platform', 'fake', '--name', 'bench-live', '--onboarding', onboarding], { CORDON_LOG_LEVEL: 'warn' });
  await waitFor('the agent to connect', () => agent!.output().includes('"msg":"connected"') || undefined, 60_000);
  const machineId = await waitFor('the machine', async () => (await api.call('GET', `/api/machines?$filter=computerDnsName eq 'bench-live'`)).body.value?.[0]?.id as string | undefined, 30_000, 200);
  const opened = await api.call('POST', SESSIONS, { machineId });
  if (opened.status !== 201) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const sessionId = opened.body.id as string;

  const firstOutput = new Map<number, number>();
  const completed = new Map<number, number>();
  let wake = () => {};
  unfollow = follow(api, sessionId, (e) => {
    if (e.event === 'output' && e.data.commandId !== undefined && !firstOutput.has(e.data.commandId)) firstOutput.set(e.data.commandId, e.at);
    if (e.event === 'command' && e.data.id !== undefined && e.data.status !== 'Running' && !completed.has(e.data.id)) completed.set(e.data.id, e.at);
    wake();
  });
  const until = (done: () => boolean) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event within 60 s')), 60_000);
    const check = () => (done() ? (clearTimeout(timer), resolve()) : undefined);
    wake = check;
    check();
  });
  const send = async (commandLine: string) => {
    const t0 = performance.now();
    const r = await api.call('POST', `${SESSIONS}/${sessionId}/commands`, { commandLine });
    if (r.status !== 201) throw new Error(`${commandLine}: ${r.status} ${JSON.stringify(r.body)}`);
    return { t0, id: r.body.id as number };
  };

  const rtt: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const h0 = performance.now();
    await api.call('GET', '/healthz');
    const h = performance.now() - h0;
    const { t0, id } = await send(`fileinfo ${small}`);
    await until(() => firstOutput.has(id) && completed.has(id));
    if (i < 20) continue; // warm-up
    rtt.push(h);
    first.push(firstOutput.get(id)! - t0);
  }

  const dirTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < DIR_RUNS; i++) {
    const f0 = performance.now();
    const ls = spawnSync('ls', ['-l', '--time-style=full-iso', big], { maxBuffer: 64 * 1024 * 1024 });
    if (ls.status !== 0) throw new Error(`ls failed: ${ls.stderr}`);
    floorTimes.push(performance.now() - f0);
    const { t0, id } = await send(`dir ${big}`);
    await until(() => completed.has(id));
    dirTimes.push(completed.get(id)! - t0);
  }

  const r = summarize(rtt);
  const f = summarize(first);
  const dd = summarize(dirTimes);
  const fl = summarize(floorTimes);
  console.log(`live-console: samples=${SAMPLES} entries=${ENTRIES} dir-runs=${DIR_RUNS}`);
  console.log(`floor  GET /healthz round trip        p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}`);
  console.log(`first output (fileinfo, POST → SSE)   p50 ${fmt(f.p50)}  p99 ${fmt(f.p99)}  ratio p50 ${(f.p50 / r.p50).toFixed(1)}x`);
  console.log(`floor  ls -l of the same ${ENTRIES} entries p50 ${fmt(fl.p50)}  max ${fmt(Math.max(...floorTimes))}`);
  console.log(`dir ${ENTRIES} (POST → Completed)        p50 ${fmt(dd.p50)}  max ${fmt(Math.max(...dirTimes))}  ratio p50 ${(dd.p50 / fl.p50).toFixed(1)}x`);
  await api.call('DELETE', `${SESSIONS}/${sessionId}`);
} catch (err) {
  console.error(`live-console failed; the agent's last output:\n${agent?.output().slice(-3000) ?? ''}`);
  throw err;
} finally {
  unfollow();
  if (agent) await stop(agent);
  if (server) await stop(server.proc);
  killAll();
  await rm(dir, { recursive: true, force: true });
}
