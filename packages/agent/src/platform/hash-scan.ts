/**
 * Streaming file hashing for hash-only antivirus scans (the executor matches ClamAV .hdb/.hsb
 * signatures against what this computes; see executors/run-antivirus-scan/hash-signatures.ts for
 * why the agent does that itself instead of running clamscan).
 *
 * Walk: like `clamscan --recursive --cross-fs=no` with symlinks not followed: each root's own
 * filesystem only, excluded directories never entered. Several files are in flight at once so
 * reads (libuv thread pool) overlap hashing (node:crypto, OpenSSL, SHA-NI where the CPU has it).
 * CPU share: the process's own CPU time (process.cpuUsage, user+system, all threads) is kept at or
 * under `cpuPercent` of one CPU by sleeping between chunks, the same "share of one CPU" the
 * clamscan duty cycle enforces. It counts everything the agent process does, so it can only err
 * on the slow side.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import type { HashAlgorithm } from './response-types.js';

const CHUNK = 1 << 20;
/** Files in flight at once: enough to keep the read-ahead busy while one is hashed. */
const IN_FLIGHT = 4;
/** Pacing window: CPU debt older than this is forgotten (a stall cannot buy a later burst). */
const WINDOW_MS = 1000;

export interface HashScanRequest {
  targets: readonly string[];
  /** Directories never entered (exact paths and everything under them). */
  excludeDirs: readonly string[];
  algorithms: readonly HashAlgorithm[];
  /** Whether a file of this size must be hashed (others are only sniffed). */
  wantSize(size: number): boolean;
  /** Bytes from the start of every regular file passed to `onFile` as `head` (default 1024). */
  headBytes?: number;
  /** Called once per regular file read; `hashes` is undefined when `wantSize` said no. */
  onFile(file: { path: string; size: number; head: Buffer; hashes?: Record<HashAlgorithm, string> }): void;
  /** CPU share 1-100 of one CPU. */
  cpuPercent: number;
  signal: AbortSignal;
}

export interface HashScanResult {
  scannedFiles: number;
  /** Bytes read (heads of unhashed files included). */
  scannedBytes: number;
  /** Unreadable entries, as `<path>: <reason> ERROR` lines like clamscan's. */
  errors: string[];
}

export interface HashScanner {
  scan(request: HashScanRequest): Promise<HashScanResult>;
}

export interface HashScannerDeps {
  /** Monotonic ms clock. */
  now?: () => number;
  /** CPU time this process used, in microseconds. */
  cpuMicros?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createHashScanner(deps: HashScannerDeps = {}): HashScanner {
  const now = deps.now ?? (() => performance.now());
  const cpuMicros = deps.cpuMicros ?? (() => {
    const u = process.cpuUsage();
    return u.user + u.system;
  });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async scan(req) {
      req.signal.throwIfAborted();
      const share = Math.min(100, Math.max(1, req.cpuPercent)) / 100;
      let winStart = now();
      let winCpu = cpuMicros();
      const pace = async () => {
        req.signal.throwIfAborted();
        if (share >= 1) return;
        const elapsed = now() - winStart;
        const used = (cpuMicros() - winCpu) / 1000;
        const owed = used / share - elapsed; // wall time needed for `used` to be `share` of it
        if (owed > 0) await sleep(owed);
        if (now() - winStart >= WINDOW_MS) {
          winStart = now();
          winCpu = cpuMicros();
        }
        req.signal.throwIfAborted();
      };
      const result: HashScanResult = { scannedFiles: 0, scannedBytes: 0, errors: [] };
      const headBytes = req.headBytes ?? 1024;
      const files = walk(req.targets, req.excludeDirs, req.signal, result.errors);
      const worker = async () => {
        for (;;) {
          const next = await files.next();
          if (next.done) return;
          const { path, size } = next.value;
          await pace();
          try {
            const read = await readFile(path, size, headBytes, req.wantSize(size) ? req.algorithms : undefined, pace);
            result.scannedFiles++;
            result.scannedBytes += read.bytes;
            req.onFile({ path, size, head: read.head, hashes: read.hashes });
          } catch (e) {
            if (req.signal.aborted) throw req.signal.reason;
            result.errors.push(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} ERROR`);
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      req.signal.throwIfAborted();
      return result;
    },
  };
}

async function readFile(path: string, size: number, headBytes: number, algorithms: readonly HashAlgorithm[] | undefined, pace: () => Promise<void>) {
  const fh = await fsp.open(path, 'r');
  try {
    const hashes: Hash[] | undefined = algorithms?.map((a) => createHash(a));
    const buf = Buffer.allocUnsafe(hashes ? CHUNK : headBytes);
    let head = Buffer.alloc(0);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, bytes);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      if (bytes === 0) head = Buffer.from(chunk.subarray(0, headBytes));
      bytes += bytesRead;
      if (!hashes) break;
      for (const h of hashes) h.update(chunk);
      if (bytes >= size + CHUNK) break; // a file growing under us: hash a bounded amount
      await pace();
    }
    const out = hashes ? ({} as Record<HashAlgorithm, string>) : undefined;
    if (out && algorithms && hashes) algorithms.forEach((a, i) => (out[a] = hashes[i]!.digest('hex')));
    return { head, bytes, hashes: out };
  } finally {
    await fh.close();
  }
}

const under = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

async function* walk(roots: readonly string[], excludes: readonly string[], signal: AbortSignal, errors: string[]): AsyncGenerator<{ path: string; size: number }> {
  for (const root of roots) {
    if (excludes.some((x) => under(root, x))) continue;
    let rootDev: number;
    try {
      rootDev = (await fsp.lstat(root)).dev;
    } catch (e) {
      errors.push(`${root}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'} ERROR`);
      continue;
    }
    const stack = [root];
    while (stack.length > 0) {
      signal.throwIfAborted();
      const path = stack.pop()!;
      let st;
      try {
        st = await fsp.lstat(path);
      } catch {
        continue; // vanished between readdir and lstat
      }
      if (st.dev !== rootDev) continue; // --cross-fs=no
      if (st.isFile()) {
        yield { path, size: st.size };
      } else if (st.isDirectory()) {
        let entries: Dirent[];
        try {
          entries = await fsp.readdir(path, { withFileTypes: true });
        } catch (e) {
          errors.push(`${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'} ERROR`);
          continue;
        }
        for (let i = entries.length - 1; i >= 0; i--) {
          const ent = entries[i]!;
          // Symlinks, devices, sockets and FIFOs are never followed nor read (clamscan's defaults here).
          if (!ent.isFile() && !ent.isDirectory()) continue;
          const child = join(path, ent.name);
          if (ent.isDirectory() && excludes.some((x) => under(child, x))) continue;
          stack.push(child);
        }
      }
    }
  }
}
