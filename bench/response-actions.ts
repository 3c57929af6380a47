/**
 * Response-action benchmarks (needs root, ip, nft, clamscan; everything in namespaces and temp dirs the
 * bench creates and removes):
 *   1. isolation: Isolate executor start -> rules in force (executor returned; a probe to an
 *      "internet" namespace then times out while the server endpoint still answers), and Unisolate;
 *   2. kill and quarantine: StopAndQuarantineFile on a running copied binary (start -> process
 *      gone, start -> executor returned with the file quarantined);
 *   3. scan throughput over a generated corpus with hash-only signatures, next to `sha1sum` over the
 *      same files in the same run (page cache warmed first, runs alternated): the RunAntiVirusScan
 *      executor (real Linux platform) with the CPU-share throttle at 100% (off) and at the default
 *      50%, and plain unthrottled `clamscan` on the same database (the engine YARA/official
 *      databases still use);
 *   4. Quick scan: the executor's Quick scan of this machine's real Quick locations, same signatures,
 *      throttle off and at the default.
 * Usage: npx tsx bench/response-actions.ts [--files 2000] [--mb 200] [--runs 3] [--scan-only]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus as cpuList, tmpdir } from 'node:os';
import { createRunAntivirusScanExecutor, DEFAULT_SCAN_CPU_PERCENT } from '../packages/agent/src/executors/run-antivirus-scan/index.js';
import type { ExecutorContext, ExecutorResult } from '../packages/agent/src/executors/types.js';
import { createLinuxPlatform } from '../packages/agent/src/platform/index.js';
import { agentSettings } from '../packages/agent/test/support/agent-settings.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const FILES = opt('files', 2000);
const MB = opt('mb', 200);
const RUNS = opt('runs', 3);
const WORKER = fileURLToPath(new URL('./response-actions-worker.ts', import.meta.url));
const TSX = ['--import', 'tsx'];
const isRoot = process.getuid?.() === 0;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

function sh(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function benchIsolation(): void {
  if (!isRoot || !has('ip') || !has('nft')) return console.log('isolation: SKIPPED (needs root, ip, nft)');
  const id = randomBytes(3).toString('hex');
  const NS = { dev: `cordon-b-${id}-dev`, inet: `cordon-b-${id}-inet`, srv: `cordon-b-${id}-srv` };
  const stateDir = mkdtempSync(join(tmpdir(), 'cordon-bench-iso-'));
  const echo = `require('net').createServer(s => s.pipe(s)).listen(8080, '0.0.0.0')`;
  const pids: number[] = [];
  try {
    for (const ns of Object.values(NS)) sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', NS.dev, 'link', 'add', 'to-srv', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', NS.srv]);
    sh('ip', ['-n', NS.dev, 'link', 'add', 'to-inet', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', NS.inet]);
    sh('ip', ['-n', NS.dev, 'addr', 'add', '10.238.1.2/30', 'dev', 'to-srv']);
    sh('ip', ['-n', NS.dev, 'addr', 'add', '10.238.2.2/30', 'dev', 'to-inet']);
    sh('ip', ['-n', NS.srv, 'addr', 'add', '10.238.1.1/30', 'dev', 'to-dev']);
    sh('ip', ['-n', NS.inet, 'addr', 'add', '10.238.2.1/30', 'dev', 'to-dev']);
    for (const [ns, dev] of [[NS.dev, 'to-srv'], [NS.dev, 'to-inet'], [NS.srv, 'to-dev'], [NS.inet, 'to-dev'], [NS.dev, 'lo'], [NS.srv, 'lo'], [NS.inet, 'lo']] as const) sh('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    for (const ns of [NS.srv, NS.inet]) {
      const out = execFileSync('sh', ['-c', `ip netns exec ${ns} ${process.execPath} -e "${echo}" >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' });
      pids.push(Number(out.trim()));
    }
    spawnSync('sleep', ['0.5']); // the echo listeners start (bench only; not a test)
    const results = [];
    for (let i = 0; i < RUNS; i++) {
      const out = sh('ip', ['netns', 'exec', NS.dev, process.execPath, ...TSX, WORKER, 'isolate', stateDir, JSON.stringify({ host: '10.238.2.1', port: 8080, server: '10.238.1.1:8080' })]);
      results.push(JSON.parse(out.trim().split('\n').pop()!) as { status: string; isolateMs: number; unisolateMs: number; blocked: boolean; serverOk: boolean; restored: boolean });
    }
    const ok = results.every((r) => r.status === 'Succeeded' && r.blocked && r.serverOk && r.restored);
    console.log(`isolation (${RUNS} runs, netns): Isolate start -> rules in force median ${fmt(median(results.map((r) => r.isolateMs)))} [${results.map((r) => r.isolateMs.toFixed(1)).join(', ')}]; Unisolate median ${fmt(median(results.map((r) => r.unisolateMs)))}; verified blocked/server reachable/restored: ${ok}`);
  } finally {
    for (const pid of pids) spawnSync('kill', ['-9', String(pid)]);
    for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function benchKill(): void {
  if (!isRoot) return console.log('kill-and-quarantine: SKIPPED (needs root)');
  const dir = mkdtempSync(join(tmpdir(), 'cordon-bench-kill-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'cordon-bench-kill-state-'));
  try {
    const results = [];
    for (let i = 0; i < RUNS; i++) {
      const binary = join(dir, `bench-malware-${i}`);
      copyFileSync('/bin/sleep', binary);
      // Make each copy unique so its sha1 matches only this file.
      writeFileSync(binary, Buffer.concat([readFileSync(binary), randomBytes(16)]), { mode: 0o755 });
      const sha1 = createHash('sha1').update(readFileSync(binary)).digest('hex');
      const out = sh(process.execPath, [...TSX, WORKER, 'kill', stateDir, JSON.stringify({ binary, sha1, dir })]);
      results.push(JSON.parse(out.trim().split('\n').pop()!) as { status: string; totalMs: number; processGoneMs: number | null; output: unknown });
    }
    const ok = results.every((r) => r.status === 'Succeeded' && r.processGoneMs !== null);
    console.log(`kill-and-quarantine (${RUNS} runs): start -> process gone median ${fmt(median(results.map((r) => r.processGoneMs ?? NaN)))}; start -> quarantined (executor returned) median ${fmt(median(results.map((r) => r.totalMs)))} [${results.map((r) => r.totalMs.toFixed(1)).join(', ')}]; all succeeded: ${ok}`);
    if (!ok) console.log(JSON.stringify(results[0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const scanPlatform = createLinuxPlatform({ toolsDir: join(tmpdir(), 'cordon-bench-tools'), notifier: { notifyUsers: async () => {} } });
const scanCtx = (stateDir: string, hashes: string[], cpu: number): ExecutorContext => ({
  actionId: 'bench', signal: new AbortController().signal, platform: scanPlatform, stateDir, serverUrls: () => [], now: () => Date.now(), progress: () => {},
  log: { info: () => {}, warn: () => {}, error: () => {} } as unknown as ExecutorContext['log'],
  files: {} as ExecutorContext['files'],
  settings: agentSettings({ scanSignatures: { hashes }, scanCpuPercent: cpu }),
});
type ScanOut = { engine: string; scannedFiles: number; scannedBytes: number; detectionCount: number; errorCount: number; cpuPercent: number };
const outputOf = (r: ExecutorResult): ScanOut => {
  if (r.status !== 'Succeeded') throw new Error(`scan failed: ${JSON.stringify(r)}`);
  return r.output as unknown as ScanOut;
};

async function benchScan(): Promise<void> {
  if (!has('clamscan') || !has('sha1sum')) return console.log('scan: SKIPPED (needs clamscan, sha1sum)');
  const root = mkdtempSync(join(tmpdir(), 'cordon-bench-scan-'));
  const corpus = join(root, 'corpus');
  const sigs = join(root, 'sigs');
  const stateDir = join(root, 'state');
  mkdirSync(corpus);
  mkdirSync(sigs);
  mkdirSync(stateDir);
  try {
    const size = Math.floor((MB * 1024 * 1024) / FILES);
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const d = join(corpus, `d${i % 20}`);
      if (i < 20) mkdirSync(d);
      const f = join(d, `f${i}.bin`);
      writeFileSync(f, randomBytes(size));
      files.push(f);
    }
    const planted = readFileSync(files[FILES - 1]!);
    const lines = [`${createHash('sha256').update(planted).digest('hex')}:${planted.length}:Bench.Planted`];
    for (let i = 0; i < 1000; i++) lines.push(`${randomBytes(32).toString('hex')}:${size}:Bench.Random${i}`);
    writeFileSync(join(sigs, 'tenant.hsb'), `${lines.join('\n')}\n`);
    const listFile = join(root, 'files.txt');
    writeFileSync(listFile, files.join('\n'));
    const sha1sum = async () => void sh('sh', ['-c', `xargs -a ${listFile} sha1sum > /dev/null`]);
    let detections = 0;
    const clamscan = async () => {
      const out = sh('clamscan', ['--no-summary', '--infected', '--recursive', '--database', sigs, corpus], true);
      detections = out.split('\n').filter((l) => l.endsWith('FOUND')).length;
    };
    const exec = createRunAntivirusScanExecutor({ locations: async () => [corpus] });
    const agentOut: Record<number, ScanOut> = {};
    const agent = (cpu: number) => async () => void (agentOut[cpu] = outputOf(await exec.run({ ScanType: 'Full' }, scanCtx(stateDir, lines, cpu))));
    const DEF = DEFAULT_SCAN_CPU_PERCENT;
    await sha1sum(); // warm the page cache
    const t: Record<string, number[]> = { sha1sum: [], agent100: [], agentDef: [], clamscan: [] };
    for (let i = 0; i < RUNS; i++) {
      t.sha1sum!.push((await timedAsync(sha1sum)).ms);
      t.agent100!.push((await timedAsync(agent(100))).ms);
      t.agentDef!.push((await timedAsync(agent(DEF))).ms);
      t.clamscan!.push((await timedAsync(clamscan)).ms);
    }
    const mbps = (ms: number) => (FILES * size) / 1024 / 1024 / (ms / 1000);
    const pct = (ms: number) => `${((median(t.sha1sum!) / ms) * 100).toFixed(0)}% of the sha1sum floor`;
    const row = (label: string, xs: number[], extra: string) =>
      console.log(`  ${label} median ${fmt(median(xs))} (${mbps(median(xs)).toFixed(0)} MB/s) [${xs.map((x) => x.toFixed(0)).join(', ')}]; ${pct(median(xs))}${extra}`);
    console.log(`scan corpus: ${FILES} files, ${((FILES * size) / 1024 / 1024).toFixed(0)} MB, 1001 hash signatures (sha256), ${RUNS} runs each, alternated, warm cache, ${cpuList().length} CPUs`);
    row('sha1sum (floor)                              ', t.sha1sum!, '');
    const a = (cpu: number) => `; engine ${agentOut[cpu]!.engine}, ${agentOut[cpu]!.scannedFiles} files, detections ${agentOut[cpu]!.detectionCount} (expected 1), errors ${agentOut[cpu]!.errorCount}`;
    row('agent Full scan, CPU-share throttle OFF (100%)', t.agent100!, `${a(100)} (target >= 70%)`);
    row(`agent Full scan, default CPU share (${DEF}% of the machine)`, t.agentDef!, `${a(DEF)}, scanner share ${agentOut[DEF]!.cpuPercent}% of one CPU (target >= 70%)`);
    row('clamscan, same database, no throttle         ', t.clamscan!, `; detections ${detections} (expected 1)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchQuickScan(): Promise<void> {
  if (!has('clamscan')) return console.log('quick scan: SKIPPED (needs clamscan)');
  const stateDir = mkdtempSync(join(tmpdir(), 'cordon-bench-quick-'));
  try {
    const lines = [`${randomBytes(32).toString('hex')}:4096:Bench.Quick`, ...Array.from({ length: 1000 }, (_, i) => `${randomBytes(32).toString('hex')}:${1000 + i}:Bench.Random${i}`)];
    const exec = createRunAntivirusScanExecutor();
    for (const cpu of [100, DEFAULT_SCAN_CPU_PERCENT]) {
      const runs: { ms: number; value: ScanOut }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await timedAsync(async () => outputOf(await exec.run({ ScanType: 'Quick' }, scanCtx(stateDir, lines, cpu)))));
      const o = runs[runs.length - 1]!.value;
      console.log(`quick scan (this machine's Quick locations, 1001 sha256 signatures, CPU share ${cpu === 100 ? "off (100%)" : `${cpu}% of the machine`}, ${RUNS} runs): median ${fmt(median(runs.map((r) => r.ms)))} [${runs.map((r) => r.ms.toFixed(0)).join(', ')}]; engine ${o.engine}, ${o.scannedFiles} files, ${(o.scannedBytes / 1024 / 1024).toFixed(1)} MB read, ${o.errorCount} errors`);
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

console.log(`# bench/response-actions  node ${process.version}  ${new Date().toISOString()}`);
if (!argv.includes('--scan-only')) {
  benchIsolation();
  benchKill();
}
await benchScan();
await benchQuickScan();
