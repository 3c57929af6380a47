/** The file operations executors need, over node:fs (the only place they may touch files). */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseLocalMounts } from './mounts.js';
import type { FileStat, HashAlgorithm, PlatformFs, SnapshotOutcome } from './types.js';

export function toFileStat(s: Stats): FileStat {
  return {
    size: s.size,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    atimeMs: s.atimeMs,
    mtimeMs: s.mtimeMs,
    dev: s.dev,
    ino: s.ino,
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymbolicLink: s.isSymbolicLink(),
  };
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function xor(key: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const out = Buffer.allocUnsafe(chunk.length);
      for (let i = 0; i < chunk.length; i++) out[i] = chunk[i] ^ key;
      cb(null, out);
    },
  });
}

class SnapshotTooLarge extends Error {}

async function snapshotFile(src: string, dest: string, { maxBytes, signal }: { maxBytes: number; signal?: AbortSignal }): Promise<SnapshotOutcome> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      // Counted, not trusted from stat: procfs and sysfs files report st_size 0 and a log grows.
      if (size > maxBytes) return done(new SnapshotTooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // Created here (exclusively) before reading, so a failure below removes only our own file.
  const out = await fsp.open(dest, 'wx', 0o600);
  try {
    await pipeline(createReadStream(src), meter, out.createWriteStream(), signal ? { signal } : {});
    return { ok: true, size, sha256: hash.digest('hex') };
  } catch (e) {
    await out.close().catch(() => {});
    await fsp.rm(dest, { force: true });
    if (e instanceof SnapshotTooLarge) return { ok: false, reason: 'TooLarge' };
    throw e;
  }
}

async function* walk(roots: readonly string[], opts: { signal?: AbortSignal; maxFileSize?: number }): AsyncGenerator<{ path: string; stat: FileStat }> {
  for (const root of roots) {
    const rootStat = await orUndefined(fsp.lstat(root));
    if (!rootStat) continue;
    const stack: string[] = [root];
    while (stack.length > 0) {
      opts.signal?.throwIfAborted();
      const path = stack.pop()!;
      let s: Stats | undefined;
      try {
        s = await fsp.lstat(path);
      } catch {
        continue; // vanished or unreadable: skip, a walk never fails on one entry
      }
      // Never leave the root's filesystem: keeps /proc, /sys and network mounts out of every walk.
      if (s.dev !== rootStat.dev) continue;
      if (s.isDirectory()) {
        let names: string[] = [];
        try {
          names = await fsp.readdir(path);
        } catch {
          continue;
        }
        for (let i = names.length - 1; i >= 0; i--) stack.push(join(path, names[i]));
      } else if (s.isFile() && (opts.maxFileSize === undefined || s.size <= opts.maxFileSize)) {
        yield { path, stat: toFileStat(s) };
      }
    }
  }
}

export function createPlatformFs(): PlatformFs {
  return {
    readText: (path) => orUndefined(fsp.readFile(path, 'utf8')),
    async writeFileAtomic(path, data, mode) {
      const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fsp.writeFile(tmp, data, { mode });
        await fsp.chmod(tmp, mode); // umask may have narrowed it
        await fsp.rename(tmp, path);
      } catch (e) {
        await fsp.rm(tmp, { force: true });
        throw e;
      }
    },
    async mkdirp(path, mode) {
      await fsp.mkdir(path, { recursive: true, mode });
    },
    remove: (path) => fsp.rm(path, { recursive: true, force: true }),
    lstat: async (path) => {
      const s = await orUndefined(fsp.lstat(path));
      return s && toFileStat(s);
    },
    stat: async (path) => {
      const s = await orUndefined(fsp.stat(path));
      return s && toFileStat(s);
    },
    readDir: async (path) => (await orUndefined(fsp.readdir(path))) ?? [],
    async hashFile(path, algorithms, signal) {
      const hashes = algorithms.map((a) => createHash(a));
      const stream = createReadStream(path, { signal });
      for await (const chunk of stream) for (const h of hashes) h.update(chunk as Buffer);
      const out = {} as Record<HashAlgorithm, string>;
      algorithms.forEach((a, i) => (out[a] = hashes[i].digest('hex')));
      return out;
    },
    snapshotFile,
    walkFiles: (roots, options) => walk(roots, options),
    async encodeCopy(src, dest, key) {
      await pipeline(createReadStream(src), xor(key), createWriteStream(dest, { mode: 0o600, flags: 'wx' }));
    },
    async decodeCopy(src, dest, key) {
      await pipeline(createReadStream(src), xor(key), createWriteStream(dest, { mode: 0o600, flags: 'wx' }));
    },
    async setMetadata(path, meta) {
      await fsp.chown(path, meta.uid, meta.gid);
      await fsp.chmod(path, meta.mode & 0o7777);
      await fsp.utimes(path, meta.atimeMs / 1000, meta.mtimeMs / 1000);
    },
    rename: (from, to) => fsp.rename(from, to),
    unlink: (path) => fsp.unlink(path),
    realpath: (path) => orUndefined(fsp.realpath(path)),
    localMounts: async () => parseLocalMounts(await fsp.readFile('/proc/self/mounts', 'utf8')),
  };
}
