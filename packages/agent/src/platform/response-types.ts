/**
 * Platform interfaces the response-action executors use: files, nftables, name
 * resolution, processes, ClamAV, the exec guard (fanotify) and user notification. `types.ts`
 * adds them to `Platform`; they live here so that file stays small for the other helpers.
 */

export interface FileStat {
  size: number;
  /** Permission bits and type bits as `stat(2)` reports them. */
  mode: number;
  uid: number;
  gid: number;
  atimeMs: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

export type HashAlgorithm = 'sha1' | 'sha256' | 'md5';

export type SnapshotOutcome = { ok: true; size: number; sha256: string } | { ok: false; reason: 'TooLarge' };

export interface PlatformFs {
  /** UTF-8 text, or undefined when the file does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Writes via a temp file + rename in the same directory, so readers never see half a file. */
  writeFileAtomic(path: string, data: string | Uint8Array, mode: number): Promise<void>;
  mkdirp(path: string, mode: number): Promise<void>;
  /** Removes a file or a tree; absent is fine. */
  remove(path: string): Promise<void>;
  /** `lstat` (symlinks are not followed); undefined when absent. */
  lstat(path: string): Promise<FileStat | undefined>;
  /** `stat` (follows symlinks); undefined when absent. */
  stat(path: string): Promise<FileStat | undefined>;
  readDir(path: string): Promise<string[]>;
  hashFile(path: string, algorithms: readonly HashAlgorithm[], signal?: AbortSignal): Promise<Record<HashAlgorithm, string>>;
  /**
   * Copies `src` to `dest` (mode 0600, must not exist) in one read, hashing the bytes on the way:
   * what `dest` holds is exactly what was read, whatever `src` does meanwhile. Stops with
   * `TooLarge` (and no `dest`) once more than `maxBytes` arrive, whatever `st_size` said (procfs: 0).
   */
  snapshotFile(src: string, dest: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<SnapshotOutcome>;
  /**
   * Regular files under each root, depth first, never following symlinks nor crossing into another
   * filesystem (so /proc or a network mount under a root is never read). Missing roots are skipped.
   */
  walkFiles(roots: readonly string[], options: { signal?: AbortSignal; maxFileSize?: number }): AsyncIterable<{ path: string; stat: FileStat }>;
  /** Copies `src` to `dest` (mode 0600) XOR-ing every byte with the key: the copy cannot run. */
  encodeCopy(src: string, dest: string, key: number): Promise<void>;
  /** Inverse of encodeCopy; `dest` is created with mode 0600 (the caller sets the final metadata). */
  decodeCopy(src: string, dest: string, key: number): Promise<void>;
  /** Restores owner, mode and timestamps (in that order, so chown cannot clear setuid bits we set). */
  setMetadata(path: string, meta: { uid: number; gid: number; mode: number; atimeMs: number; mtimeMs: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  realpath(path: string): Promise<string | undefined>;
  /** Mount points of local, real filesystems (pseudo and network filesystems left out). */
  localMounts(): Promise<string[]>;
}

export interface NftResult {
  ok: boolean;
  stderr: string;
}

export interface Nft {
  /** Applies an nft script atomically (`nft -f -`: the whole script is one transaction). */
  apply(script: string): Promise<NftResult>;
  /** `nft list table <family> <name>` text, or undefined when the table does not exist. */
  listTable(family: string, name: string): Promise<string | undefined>;
}

export interface Net {
  /** A and AAAA addresses of a host name (an IP literal resolves to itself); [] when unresolvable. */
  resolve(host: string): Promise<string[]>;
  /** The DNS resolvers the device uses (from /etc/resolv.conf). */
  resolvers(): Promise<string[]>;
  /** Whether a TCP connection to host:port can be opened within the timeout. */
  tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean>;
}

export interface ProcessInfo {
  pid: number;
  /** readlink(/proc/<pid>/exe), with a trailing " (deleted)" kept as the kernel reports it. */
  exe: string;
}

export interface Proc {
  /** The agent's own pid (never killed). */
  selfPid: number;
  /** Processes with a readable executable link (kernel threads have none and are left out). */
  list(): Promise<ProcessInfo[]>;
  /** Path to open to read the process's executable, even when it was deleted from disk. */
  exePath(pid: number): string;
  kill(pid: number, signal: NodeJS.Signals): Promise<boolean>;
  /** True while the process exists and is not a zombie. */
  isAlive(pid: number): Promise<boolean>;
}

export interface ScanDetection {
  path: string;
  /** Signature name as ClamAV reports it (e.g. `Cordon.Test.UNOFFICIAL`). */
  signature: string;
}

export interface ClamScanRequest {
  /** Files or directories (scanned recursively, one filesystem each). */
  targets: readonly string[];
  /** Directories of signature files passed to the engine. */
  databaseDirs: readonly string[];
  /** Paths never read (absolute, taken literally): a directory with everything under it, or a file. */
  excludePaths: readonly string[];
  /** CPU share 1-100 the scanner may use (of one CPU). */
  cpuPercent: number;
  signal: AbortSignal;
}

export interface ClamScanResult {
  engine: 'clamscan' | 'clamd';
  scannedFiles: number;
  /** Bytes the engine read (clamscan reports MB with 2 decimals; converted). */
  scannedBytes: number;
  detections: ScanDetection[];
  /** Lines the engine reported as errors (unreadable files...); not fatal. */
  errors: string[];
}

export interface ClamAv {
  /** Whether an engine is installed (clamscan binary present). */
  available(): Promise<boolean>;
  /** System signature directory when it holds any database (official .cvd/.cld), else undefined. */
  systemDatabaseDir(): Promise<string | undefined>;
  scan(request: ClamScanRequest): Promise<ClamScanResult>;
}

export interface ExecGuardStart {
  /** File of trusted entries: one absolute canonical path or `sha256:<hex>` per line. */
  trustFile: string;
  /** Where the guard writes its denials. */
  logFile: string;
  /** Mount points to guard; undefined means every local (non-pseudo) filesystem. */
  mounts?: readonly string[];
}

/** Execution restriction through fanotify permission events (see exec-guard.ts for why). */
export interface ExecGuard {
  available(): Promise<boolean>;
  /** Starts the guard detached (it outlives the agent); resolves once its marks are in place. */
  start(options: ExecGuardStart): Promise<{ pid: number }>;
  /** Whether `pid` is a running guard process. */
  isRunning(pid: number): Promise<boolean>;
  stop(pid: number): Promise<void>;
}

export interface PackageTrust {
  /** Canonical paths of every file the package manager (dpkg) installed. */
  packageOwnedFiles(): Promise<string[]>;
  /** The agent's own runtime executables (node, the exec guard...). */
  runtimeFiles(): Promise<string[]>;
}

export interface Notifier {
  /** Tells the device's users: wall message, and a desktop notification per graphical session. */
  notifyUsers(title: string, body: string): Promise<void>;
}
