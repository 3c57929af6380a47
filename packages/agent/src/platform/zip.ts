/** Writes a zip archive from in-memory entries with yazl (streams to disk; never holds the archive). */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface ZipEntry {
  /** Forward-slash path inside the archive; a trailing `/` with no data makes a directory entry. */
  name: string;
  data?: Buffer;
}

export interface ZipWriter {
  /** Writes `entries` to `destPath` (mode 0600); returns the archive's size and SHA-256. */
  writeZip(destPath: string, entries: readonly ZipEntry[], options?: { signal?: AbortSignal; mtime?: Date }): Promise<{ size: number; sha256: string }>;
}

export function createZipWriter(): ZipWriter {
  return {
    async writeZip(destPath, entries, options = {}) {
      const zip = new yazl.ZipFile();
      const mtime = options.mtime ?? new Date();
      for (const entry of entries) {
        if (entry.name.endsWith('/') && entry.data === undefined) zip.addEmptyDirectory(entry.name, { mtime });
        else zip.addBuffer(entry.data ?? Buffer.alloc(0), entry.name, { mtime, mode: 0o100644 });
      }
      zip.end();
      const hash = createHash('sha256');
      let size = 0;
      const measure = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        },
      });
      await pipeline(zip.outputStream, measure, createWriteStream(destPath, { mode: 0o600 }), { signal: options.signal });
      return { size, sha256: hash.digest('hex') };
    },
  };
}
