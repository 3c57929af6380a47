/**
 * Streaming file hashing for hash-only antivirus scans (the executor matches ClamAV .hdb/.hsb
 * signatures against what this computes; executors/run-antivirus-scan/hash-signatures.ts says why
 * the agent does that itself instead of running clamscan).
 *
 * One worker thread per scan walks and hashes with synchronous I/O: measured on 2,000 x 100 KB
 * files, promise-based reads plus main-thread hashing cost ~300 ms of CPU where the same loop with
 * sync I/O costs ~160 ms (node:crypto SHA-256 via OpenSSL/SHA-NI is most of it), and blocking reads
 * and 1 MiB hash updates in a worker never stall the agent's event loop. The worker is plain JS
 * evaluated from a string so it runs the same under node, tsx and vitest (no loader, no build path).
 *
 * Walk: like `clamscan --recursive --cross-fs=no` with symlinks not followed: no directory on
 * another filesystem than its root's is entered (clamscan 1.4 also skips files whose st_dev differs,
 * which loses every lower-layer file of an overlay over another filesystem; see below), excluded
 * directories never entered nor excluded files opened, only regular files read (O_NOFOLLOW).
 * CPU share: the process's CPU time (process.cpuUsage: all threads) is kept at or under
 * `cpuPercent` of one CPU by pausing between files and 1 MiB chunks (Atomics.wait, woken at once
 * by cancellation): the same "share of one CPU" the clamscan duty cycle enforces. It counts
 * everything the agent process does, so it can only err on the slow side.
 */
import { Worker } from 'node:worker_threads';
import type { HashAlgorithm } from './response-types.js';

export interface HashScanRequest {
  targets: readonly string[];
  /** Paths never read: a directory is not entered, a file is not opened (exact paths and everything under them). */
  excludePaths: readonly string[];
  algorithms: readonly HashAlgorithm[];
  /** Which sizes are hashed: within [min, max] and `any` or listed in `exact`. Others are only sniffed. */
  sizes: { exact: readonly number[]; any: boolean; min: number; max: number };
  /** Bytes from the start of every regular file passed to `onFile` as `head` (default 1024). */
  headBytes?: number;
  /** Called once per regular file read; `hashes` is undefined when its size was not wanted. */
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
  /** Time spent paused to hold the CPU share. */
  pausedMs: number;
}

export interface HashScanner {
  scan(request: HashScanRequest): Promise<HashScanResult>;
}

export interface HashScannerOptions {
  /**
   * Unit tests: a virtual clock instead of real pauses. Each reading of the CPU clock adds this many
   * microseconds of "CPU used"; pauses only advance the virtual wall clock (nothing sleeps).
   */
  simulateCpuMicrosPerReading?: number;
}

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const { targets, excludes, algorithms, sizes, headBytes, cpuPercent, control, simulate } = workerData;
const ctl = new Int32Array(control);
const exact = new Set(sizes.exact);
const wanted = (n) => n >= sizes.min && n <= sizes.max && (sizes.any || exact.has(n));
const share = Math.min(100, Math.max(1, cpuPercent)) / 100;
const WINDOW_MS = 1000; // CPU debt older than this is forgotten: a stall cannot buy a later burst
const MIN_PAUSE_MS = 10; // debt is paid in pauses of at least this: thousands of sub-ms waits cost CPU themselves
let vnow = 0, vcpu = 0, pausedMs = 0;
const now = simulate === undefined ? () => performance.now() : () => vnow;
const cpu = simulate === undefined ? () => { const u = process.cpuUsage(); return u.user + u.system; } : () => (vcpu += simulate);
class Abort extends Error {}
const check = () => { if (Atomics.load(ctl, 0) !== 0) throw new Abort(); };
let winStart = now(), winCpu = cpu();
function pace() {
  check();
  if (share >= 1) return;
  const owed = (cpu() - winCpu) / 1000 / share - (now() - winStart);
  const closing = now() - winStart >= WINDOW_MS;
  // Small debts wait for the next call, except when the window closes: then all of it is paid.
  if (owed >= MIN_PAUSE_MS || (closing && owed > 0)) pause(owed);
  if (closing) { winStart = now(); winCpu = cpu(); }
}
function pause(ms) {
  pausedMs += ms;
  if (simulate === undefined) Atomics.wait(ctl, 0, 0, ms); else vnow += ms;
  check();
}
const under = (p, d) => p === d || p.startsWith(d.endsWith('/') ? d : d + '/');
const buf = Buffer.allocUnsafe(1 << 20);
function readOne(path, size) {
  const hs = wanted(size) ? algorithms.map((a) => createHash(a)) : undefined;
  // O_NOFOLLOW: the walk saw a regular file; if it became a symlink since, it is not followed.
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    let bytes = 0, head = new Uint8Array(0);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, hs ? buf.length : headBytes, bytes);
      if (n === 0) break;
      if (bytes === 0) head = new Uint8Array(buf.subarray(0, Math.min(n, headBytes))); // own buffer: cheap to post
      bytes += n;
      if (!hs) break;
      for (const h of hs) h.update(buf.subarray(0, n));
      if (bytes >= size) break; // no extra read just to see EOF; grown or shrunk files cannot match anyway
      pace();
    }
    const hashes = hs ? Object.fromEntries(algorithms.map((a, i) => [a, hs[i].digest('hex')])) : undefined;
    return { bytes, head, hashes };
  } finally {
    fs.closeSync(fd);
  }
}
let batch = [], scannedFiles = 0, scannedBytes = 0;
const errors = [];
const flush = () => { if (batch.length > 0) { parentPort.postMessage({ files: batch }); batch = []; } };
const why = (e) => (e && (e.code || e.message)) || 'unreadable';
try {
  for (const root of targets) {
    if (excludes.some((x) => under(root, x))) continue;
    let rootDev;
    try { rootDev = fs.lstatSync(root).dev; } catch (e) { errors.push(root + ': ' + why(e) + ' ERROR'); continue; }
    const stack = [root];
    while (stack.length > 0) {
      check();
      const path = stack.pop();
      let st;
      try { st = fs.lstatSync(path); } catch { continue; } // vanished since its directory was read
      // --cross-fs=no, decided on directories only: another filesystem is entered through a mount
      // point, a directory. Files cannot be judged by st_dev: on an overlay whose layers are on
      // different filesystems (a tmpfs upper over a disk, no xino) every file from a lower layer
      // reports its layer's device, not the overlay's, and would never be read.
      if (st.isDirectory() && st.dev !== rootDev) continue;
      if (st.isFile()) {
        pace();
        try {
          const r = readOne(path, st.size);
          scannedFiles++;
          scannedBytes += r.bytes;
          batch.push({ path, size: st.size, head: r.head, hashes: r.hashes });
          if (batch.length >= 256) flush();
        } catch (e) {
          if (e instanceof Abort) throw e;
          errors.push(path + ': ' + why(e) + ' ERROR');
        }
      } else if (st.isDirectory()) {
        let entries;
        try { entries = fs.readdirSync(path, { withFileTypes: true }); } catch (e) { errors.push(path + ': ' + why(e) + ' ERROR'); continue; }
        for (let i = entries.length - 1; i >= 0; i--) {
          const ent = entries[i];
          // Symlinks, devices, sockets and FIFOs are never followed nor read (clamscan's defaults here).
          if (!ent.isFile() && !ent.isDirectory()) continue;
          const child = join(path, ent.name);
          if (excludes.some((x) => under(child, x))) continue;
          stack.push(child);
        }
      }
    }
  }
  flush();
  parentPort.postMessage({ done: { scannedFiles, scannedBytes, errors, pausedMs } });
} catch (e) {
  if (e instanceof Abort) parentPort.postMessage({ aborted: true });
  else parentPort.postMessage({ failed: String((e && e.stack) || e) });
}
`;

type WireFile = { path: string; size: number; head: Uint8Array; hashes?: Record<HashAlgorithm, string> };
type WireMessage = { files: WireFile[] } | { done: HashScanResult } | { aborted: true } | { failed: string };

export function createHashScanner(options: HashScannerOptions = {}): HashScanner {
  return {
    async scan(req) {
      req.signal.throwIfAborted();
      return new Promise<HashScanResult>((resolve, reject) => {
        const control = new SharedArrayBuffer(4);
        const ctl = new Int32Array(control);
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: {
            targets: [...req.targets],
            excludes: [...req.excludePaths],
            algorithms: [...req.algorithms],
            sizes: { ...req.sizes, exact: [...req.sizes.exact] },
            headBytes: req.headBytes ?? 1024,
            cpuPercent: req.cpuPercent,
            control,
            simulate: options.simulateCpuMicrosPerReading,
          },
        });
        let settled = false;
        const finish = (err: unknown, value?: HashScanResult) => {
          if (settled) return;
          settled = true;
          req.signal.removeEventListener('abort', onAbort);
          if (err !== undefined) {
            void worker.terminate();
            reject(err);
          } else resolve(value!);
        };
        const onAbort = () => {
          Atomics.store(ctl, 0, 1);
          Atomics.notify(ctl, 0); // wakes a pause at once
          finish(req.signal.reason ?? new Error('scan aborted'));
        };
        req.signal.addEventListener('abort', onAbort, { once: true });
        worker.on('message', (m: WireMessage) => {
          if (settled) return;
          try {
            if ('files' in m) {
              for (const f of m.files) req.onFile({ path: f.path, size: f.size, head: Buffer.from(f.head.buffer, f.head.byteOffset, f.head.byteLength), hashes: f.hashes });
            } else if ('done' in m) finish(undefined, m.done);
            else if ('aborted' in m) finish(req.signal.reason ?? new Error('scan aborted'));
            else finish(new Error(`hash scan failed: ${m.failed}`));
          } catch (e) {
            finish(e);
          }
        });
        worker.once('error', (e) => finish(e));
        worker.once('exit', (code) => finish(new Error(`hash scan worker exited (code ${code}) before finishing`)));
      });
    },
  };
}
