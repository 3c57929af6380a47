/**
 * Read-only, size-capped file access under a configurable root, for the investigation package.
 *
 * Every path the collectors pass is absolute in the *device's* view (`/etc/passwd`); it is resolved
 * under `root`, so tests point the same collectors at a fake tree (`<tmp>/etc/passwd`). The root is
 * a test seam, not a security boundary: symlinks inside the tree are followed like any reader would.
 *
 * Reads never trust `st_size` (files in /proc and /sys report 0) and stop at a byte cap. Directory
 * walks use lstat types and never follow symlinks, so `/proc/<pid>/cwd` style loops cannot recurse.
 */
import { createHash } from 'node:crypto';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { posix } from 'node:path';

export type FsEntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface FsInfo {
  type: FsEntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

export interface FsDirEntry {
  name: string;
  type: FsEntryType;
}

export interface CappedRead {
  data: Buffer;
  /** True when the file had more bytes than the cap (the rest was not read). */
  truncated: boolean;
}

export interface ReadFs {
  /** The directory the device's `/` maps to (`/` in production). */
  readonly root: string;
  /** The host path of a device path, for tools that take a file argument (`last -f`). */
  resolve(path: string): string;
  /** The first `maxBytes` bytes; undefined when the file does not exist. */
  readFile(path: string, maxBytes: number): Promise<CappedRead | undefined>;
  /** The last `maxBytes` bytes (logs: the newest lines matter); undefined when missing. */
  readTail(path: string, maxBytes: number): Promise<CappedRead | undefined>;
  /** Entries without following symlinks; undefined when the directory does not exist. */
  readDir(path: string): Promise<FsDirEntry[] | undefined>;
  readLink(path: string): Promise<string | undefined>;
  /** `follow: false` is lstat. Undefined when missing. */
  stat(path: string, options?: { follow?: boolean }): Promise<FsInfo | undefined>;
  /** Hex SHA-256 of at most `maxBytes` bytes; undefined when missing or larger than the cap. */
  sha256(path: string, maxBytes: number): Promise<string | undefined>;
  /** Hex SHA-256 and SHA-1 from one read of the file; undefined when missing or larger than the cap. */
  sha256AndSha1(path: string, maxBytes: number): Promise<FileHashes | undefined>;
}

export interface FileHashes {
  sha256: string;
  sha1: string;
}

/** Errors that mean "not there (any more)": processes exit while /proc is read. */
const GONE = new Set(['ENOENT', 'ENOTDIR', 'ESRCH']);

async function orMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (GONE.has((e as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw e;
  }
}

function typeOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FsEntryType {
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  return 'other';
}

const CHUNK = 64 * 1024;

async function readCapped(hostPath: string, maxBytes: number): Promise<CappedRead> {
  const fh = await open(hostPath, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // Read one byte past the cap to know whether the file was truncated.
    while (total <= maxBytes) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    const data = Buffer.concat(chunks);
    return total > maxBytes ? { data: data.subarray(0, maxBytes), truncated: true } : { data, truncated: false };
  } finally {
    await fh.close();
  }
}

async function readTailCapped(hostPath: string, maxBytes: number): Promise<CappedRead> {
  const fh = await open(hostPath, 'r');
  try {
    const { size } = await fh.stat();
    // A regular log file has a real size; /proc-like files (size 0) fall back to a head read.
    if (size <= maxBytes) return await readCapped(hostPath, maxBytes);
    const buf = Buffer.allocUnsafe(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, size - maxBytes);
    return { data: buf.subarray(0, bytesRead), truncated: true };
  } finally {
    await fh.close();
  }
}

/** Every algorithm is fed from the same buffer: one read of the file, however many digests. */
async function hashCapped<A extends string>(hostPath: string, maxBytes: number, algorithms: readonly A[]): Promise<Record<A, string> | undefined> {
  const fh = await open(hostPath, 'r');
  try {
    const hashes = algorithms.map((a) => createHash(a));
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return undefined;
      for (const h of hashes) h.update(buf.subarray(0, bytesRead));
    }
    return Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) as Record<A, string>;
  } finally {
    await fh.close();
  }
}

export function createReadFs(root = '/'): ReadFs {
  const resolve = (path: string): string => posix.join(root, posix.normalize(`/${path}`));
  return {
    root,
    resolve,
    readFile: (path, maxBytes) => orMissing(readCapped(resolve(path), maxBytes)),
    readTail: (path, maxBytes) => orMissing(readTailCapped(resolve(path), maxBytes)),
    async readDir(path) {
      const entries = await orMissing(readdir(resolve(path), { withFileTypes: true }));
      return entries?.map((e) => ({ name: e.name, type: typeOf(e) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    readLink: (path) => orMissing(readlink(resolve(path))),
    async stat(path, options = {}) {
      const s = await orMissing((options.follow ?? true) ? stat(resolve(path)) : lstat(resolve(path)));
      return s && { type: typeOf(s), size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, mtimeMs: s.mtimeMs, dev: s.dev, ino: s.ino };
    },
    sha256: async (path, maxBytes) => (await orMissing(hashCapped(resolve(path), maxBytes, ['sha256'])))?.sha256,
    sha256AndSha1: async (path, maxBytes) => orMissing(hashCapped(resolve(path), maxBytes, ['sha256', 'sha1'])),
  };
}
