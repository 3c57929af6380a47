/**
 * ClamAV through `clamscan`, the one engine whose CPU use we can bound per scan.
 *
 * CPU share: clamscan is single-threaded, so holding it to p% of one CPU is a duty cycle: run for
 * p% of every 100 ms period and SIGSTOP it for the rest (SIGCONT to resume). It also runs under
 * `nice -n 19` and `ionice -c 3` so it yields to everything else. clamd is not used: it is a shared
 * system daemon whose threads we cannot pause per scan, and it reads tenant signatures only from its
 * own DatabaseDirectory (a system config change); see BENCHMARKS.md (response actions). Nor would it make the
 * engine fast: clamscan's cost is per byte, not start-up (one file with 1,001 hash signatures: 24 ms;
 * 2,000 files / 200 MB: ~3.8 s of CPU, ~2.5 s with every --scan-*=no/--bytecode=no, the same with
 * --file-list), because libclamav runs its raw-content matchers over every byte; clamd's threads
 * would only divide that by the core count. Hash-only signature sets therefore skip the engine
 * (platform/hash-scan.ts, executors/run-antivirus-scan/hash-signatures.ts); this runs for YARA,
 * the official databases, and the archives/containers a hash-only scan hands over.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ClamAv, ClamScanRequest, ClamScanResult, Exec } from './types.js';

const DUTY_PERIOD_MS = 100;

export function clamscanArgs(req: Omit<ClamScanRequest, 'signal' | 'cpuPercent'>): string[] {
  return [
    '-n', '19', 'ionice', '-c', '3', 'clamscan',
    '--recursive', '--cross-fs=no', '--infected', '--stdout', '--follow-dir-symlinks=0', '--follow-file-symlinks=0',
    ...req.databaseDirs.map((d) => `--database=${d}`),
    // Each path both ways: --exclude-dir skips a directory, --exclude a file (clamscan matches the
    // regex against the full path, so one anchored, escaped form serves both).
    ...req.excludePaths.flatMap((p) => {
      const re = `^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`;
      return [`--exclude-dir=${re}`, `--exclude=${re}`];
    }),
    '--',
    ...req.targets,
  ];
}

/** Parses clamscan's `--infected --stdout` output: FOUND lines, error lines, and the summary. */
export function parseClamscanOutput(text: string): Omit<ClamScanResult, 'engine'> & { summary: boolean } {
  const out = { scannedFiles: 0, scannedBytes: 0, detections: [] as ClamScanResult['detections'], errors: [] as string[], summary: false };
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^(.*): (\S+) FOUND$/.exec(line))) out.detections.push({ path: m[1], signature: m[2] });
    else if ((m = /^(.*): (.*) ERROR$/.exec(line))) out.errors.push(line);
    else if ((m = /^Scanned files: (\d+)$/.exec(line))) {
      out.scannedFiles = Number(m[1]);
      out.summary = true;
    } else if ((m = /^Data read: ([\d.]+) MB/.exec(line))) out.scannedBytes = Math.round(Number(m[1]) * 1024 * 1024);
  }
  return out;
}

export function createClamAv(exec: Exec, options: { systemDbDir?: string } = {}): ClamAv {
  const sysDir = options.systemDbDir ?? '/var/lib/clamav';
  return {
    async available() {
      return (await exec('clamscan', ['--version'])).exitCode === 0;
    },
    async systemDatabaseDir() {
      const names = await readdir(sysDir).catch(() => [] as string[]);
      return names.some((n) => /\.(cvd|cld|cud)$/.test(n)) ? sysDir : undefined;
    },
    scan: (req) => runClamscan(req),
  };
}

function runClamscan(req: ClamScanRequest): Promise<ClamScanResult> {
  return new Promise((resolve, reject) => {
    req.signal.throwIfAborted();
    const child = spawn('nice', clamscanArgs(req), { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    child.stderr!.on('data', (b: Buffer) => {
      if (stderr.length < 65536) stderr += b.toString();
    });
    const share = Math.min(100, Math.max(1, req.cpuPercent));
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const signalChild = (s: NodeJS.Signals) => {
      try {
        child.kill(s);
      } catch {
        /* already gone */
      }
    };
    const cycle = () => {
      stopped = !stopped;
      signalChild(stopped ? 'SIGSTOP' : 'SIGCONT');
      timer = setTimeout(cycle, stopped ? DUTY_PERIOD_MS * (1 - share / 100) : DUTY_PERIOD_MS * (share / 100));
    };
    if (share < 100) timer = setTimeout(cycle, DUTY_PERIOD_MS * (share / 100));
    const onAbort = () => {
      clearTimeout(timer);
      signalChild('SIGKILL'); // delivered even while stopped
      reject(req.signal.reason ?? new Error('scan aborted'));
    };
    req.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (e) => {
      clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      if (req.signal.aborted) return;
      const parsed = parseClamscanOutput(lines.join('\n'));
      // Exit 0 = clean, 1 = found; 2 = errors, which still has a summary when only some files failed.
      if (!parsed.summary || (code !== 0 && code !== 1 && code !== 2)) {
        reject(new Error(`clamscan failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join('; ')}`));
        return;
      }
      const { summary: _s, ...rest } = parsed;
      resolve({ engine: 'clamscan', ...rest, errors: [...rest.errors, ...stderr.split('\n').filter((l) => /ERROR/.test(l))] });
    });
  });
}
