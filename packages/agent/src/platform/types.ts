/**
 * The platform layer: the only code that touches the OS (house style 8.2 rule 6). Executors get it
 * through their context, so unit tests inject a fake and assert the exact argv, ruleset or paths.
 * Each helper module under platform/ adds its own interface here as it is written.
 */
import type { ClamAv, ExecGuard, Net, Nft, Notifier, PackageTrust, PlatformFs, Proc } from './response-types.js';
import type { HashScanner } from './hash-scan.js';
import type { ReadFs } from './read-fs.js';
import type { SpawnBounded } from './spawn-bounded.js';
import type { ZipWriter } from './zip.js';
import type { LiveFs } from './live-fs.js';

export type * from './response-types.js';
export type { HashScanner, HashScanRequest, HashScanResult } from './hash-scan.js';
export type { LiveFs, LiveStat } from './live-fs.js';
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  signal?: AbortSignal;
  input?: string;
  timeoutMs?: number;
  /** Bytes of stdout/stderr kept (the rest is dropped, not buffered). */
  maxOutputBytes?: number;
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs a program with an argument vector; never through a shell. */
export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export interface Platform {
  exec: Exec;
  /** Which OS features exist here (nft, clamscan, fanotify...); decides the advertised capabilities. */
  probe(): Promise<Record<string, boolean>>;
  /** Response-action members: see response-types.ts. */
  fs: PlatformFs;
  nft: Nft;
  net: Net;
  proc: Proc;
  clamav: ClamAv;
  execGuard: ExecGuard;
  packages: PackageTrust;
  notify: Notifier;
  // Forensics members (investigation package, live response). Optional so fakes written before
  // them still compile; the two executors fail with a clear error when one is missing.
  /** Size-capped reads under a root (`/` in production): the investigation package collectors. */
  readFs?: ReadFs;
  zip?: ZipWriter;
  /** Process-group spawn with timeout and truncation flags: live response RunScript. */
  spawnBounded?: SpawnBounded;
  /** Paced streaming hashing for hash-only antivirus scans; without it those scans use clamscan. */
  hashScan?: HashScanner;
  /** Streamed directory listings, full stat and account names: the live response console. */
  liveFs?: LiveFs;
  /** Logical CPUs available to the agent (scan CPU shares are of the whole machine); 1 when absent. */
  cpuCount?(): number;
}
