/**
 * Issue 4 benchmarks (needs root, ip, nft, clamscan; everything in namespaces and temp dirs the
 * bench creates and removes):
 *   1. isolation: Isolate executor start -> rules in force (executor returned; a probe to an
 *      "internet" namespace then times out while the server endpoint still answers), and Unisolate;
 *   2. kill and quarantine: StopAndQuarantineFile on a running copied binary (start -> process
 *      gone, start -> executor returned with the file quarantined);
 *   3. scan throughput: clamscan with a hash-only signature file over a generated corpus, next to
 *      `sha1sum` over the same files in the same run (page cache warmed first, runs alternated).
 * Usage: npx tsx bench/response-actions.ts [--files 2000] [--mb 200] [--runs 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function benchScan(): void {
  if (!has('clamscan') || !has('sha1sum')) return console.log('scan: SKIPPED (needs clamscan, sha1sum)');
  const root = mkdtempSync(join(tmpdir(), 'cordon-bench-scan-'));
  const corpus = join(root, 'corpus');
  const sigs = join(root, 'sigs');
  mkdirSync(corpus);
  mkdirSync(sigs);
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
    const sha1sum = () => void sh('sh', ['-c', `xargs -a ${listFile} sha1sum > /dev/null`]);
    let detections = 0;
    const clamscan = () => {
      const out = sh('clamscan', ['--no-summary', '--infected', '--recursive', '--database', sigs, corpus], true);
      detections = out.split('\n').filter((l) => l.endsWith('FOUND')).length;
    };
    sha1sum(); // warm the page cache
    const s: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      s.push(timed(sha1sum));
      c.push(timed(clamscan));
    }
    const mbps = (ms: number) => (FILES * size) / 1024 / 1024 / (ms / 1000);
    const ratio = median(s) / median(c);
    console.log(`scan corpus: ${FILES} files, ${((FILES * size) / 1024 / 1024).toFixed(0)} MB, 1001 hash signatures (sha256), ${RUNS} runs each, alternated, warm cache`);
    console.log(`  sha1sum  median ${fmt(median(s))} (${mbps(median(s)).toFixed(0)} MB/s) [${s.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`  clamscan median ${fmt(median(c))} (${mbps(median(c)).toFixed(0)} MB/s) [${c.map((x) => x.toFixed(0)).join(', ')}]; detections ${detections} (expected 1)`);
    console.log(`  clamscan throughput = ${(ratio * 100).toFixed(0)}% of the sha1sum floor (target >= 70%)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log(`# bench/response-actions  node ${process.version}  ${new Date().toISOString()}`);
benchIsolation();
benchKill();
benchScan();
