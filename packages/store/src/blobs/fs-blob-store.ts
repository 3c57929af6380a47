/**
 * Blobs as files under one directory: the embedded default (one server process, or several on one
 * host sharing the data dir). Content is written to `tmp/` and renamed into place only once
 * complete and verified, so a reader never sees a partial blob; the metadata file is written
 * (atomically, after the content) last and is what makes a blob exist.
 *
 *   <root>/ab/ab12...ef        content
 *   <root>/ab/ab12...ef.json   BlobInfo
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toMdeTimestamp } from '@cordon/protocol';
import type { BlobInfo, BlobPutOptions, BlobPutOutcome, BlobStore } from '@cordon/core';
import { BLOB_ID, BlobTooLargeError, metered, newMeter } from './metered.js';

export interface FsBlobStoreOptions {
  root: string;
  now?: () => number;
}

export class FsBlobStore implements BlobStore {
  readonly #root: string;
  readonly #now: () => number;

  constructor(options: FsBlobStoreOptions) {
    this.#root = options.root;
    this.#now = options.now ?? Date.now;
  }

  async put(source: AsyncIterable<Uint8Array>, options: BlobPutOptions): Promise<BlobPutOutcome> {
    const id = randomBytes(16).toString('hex');
    const tmpDir = join(this.#root, 'tmp');
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(tmpDir, `${id}.part`);
    const meter = newMeter();
    try {
      await pipeline(Readable.from(metered(source, options.maxBytes, meter)), createWriteStream(tmp, { mode: 0o600 }));
      const sha256 = meter.hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
        await rm(tmp, { force: true });
        return { ok: false, reason: 'ChecksumMismatch', expected: options.expectedSha256, actual: sha256, size: meter.size };
      }
      const blob: BlobInfo = { id, tenantId: options.tenantId, name: options.name, contentType: options.contentType, size: meter.size, sha256, createdAt: toMdeTimestamp(this.#now()) };
      const dir = join(this.#root, id.slice(0, 2));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await rename(tmp, join(dir, id));
      await writeFile(`${tmp}.json`, JSON.stringify(blob), { mode: 0o600 });
      await rename(`${tmp}.json`, join(dir, `${id}.json`));
      return { ok: true, blob };
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof BlobTooLargeError) return { ok: false, reason: 'TooLarge', maxBytes: options.maxBytes };
      throw err;
    }
  }

  async stat(id: string): Promise<BlobInfo | undefined> {
    if (!BLOB_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.#path(id) + '.json', 'utf8')) as BlobInfo;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async *read(id: string): AsyncIterable<Uint8Array> {
    if (!(await this.stat(id))) throw new Error(`blob ${id} does not exist`);
    yield* createReadStream(this.#path(id)) as AsyncIterable<Buffer>;
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.stat(id))) return false;
    // Metadata first: the blob stops existing before its content goes.
    await rm(this.#path(id) + '.json', { force: true });
    await rm(this.#path(id), { force: true });
    return true;
  }

  #path(id: string): string {
    return join(this.#root, id.slice(0, 2), id);
  }
}
