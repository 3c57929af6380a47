/**
 * Blobs in the database, as rows of 1 MiB chunks (BYTEA on PostgreSQL, BLOB on SQLite): several
 * server processes on one PostgreSQL share blobs with no extra service.
 *
 * Why chunk rows and not large objects: large objects live outside any schema (so a private test
 * schema or a per-tenant dump does not hold them), need explicit lo_unlink bookkeeping, and a
 * different API per engine; chunk rows are plain Kysely on both engines and cascade like data.
 *
 * Why not one transaction per blob: an upload of a 2 GB package from a slow device can take
 * minutes, and a transaction would pin a pool connection (10 by default) for all of it, starving
 * API requests. Instead the blob row is inserted as `writing`, chunks are inserted one statement
 * each, and the row flips to `ready` at the end; readers only see `ready` rows. A failed write
 * deletes its rows; a crash leaves a `writing` row that `purgeIncomplete` removes.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toMdeTimestamp } from '@cordon/protocol';
import type { BlobInfo, BlobPutOptions, BlobPutOutcome, BlobStore } from '@cordon/core';
import { BLOB_ID, BlobTooLargeError, metered, newMeter, rechunk } from './metered.js';

export interface BlobTables {
  blobs: { id: string; tenant_id: string; name: string; content_type: string; size: number | string; sha256: string; state: string; created_at: string };
  blob_chunks: { blob_id: string; seq: number; data: Buffer | Uint8Array };
}

export const BLOB_CHUNK_BYTES = 1024 * 1024;

export class DbBlobStore implements BlobStore {
  readonly #db: Kysely<BlobTables>;
  readonly #now: () => number;
  readonly #chunkBytes: number;

  constructor(db: Kysely<any>, options: { now?: () => number; chunkBytes?: number } = {}) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see BlobTables
    this.#db = db as Kysely<BlobTables>;
    this.#now = options.now ?? Date.now;
    this.#chunkBytes = options.chunkBytes ?? BLOB_CHUNK_BYTES;
  }

  async put(source: AsyncIterable<Uint8Array>, options: BlobPutOptions): Promise<BlobPutOutcome> {
    const id = randomBytes(16).toString('hex');
    const createdAt = toMdeTimestamp(this.#now());
    const row = { id, tenant_id: options.tenantId, name: options.name, content_type: options.contentType, size: 0, sha256: '', state: 'writing', created_at: createdAt };
    await this.#db.insertInto('blobs').values(row).execute();
    const meter = newMeter();
    try {
      let seq = 0;
      for await (const data of rechunk(metered(source, options.maxBytes, meter), this.#chunkBytes)) {
        await this.#db.insertInto('blob_chunks').values({ blob_id: id, seq: seq++, data }).execute();
      }
      const sha256 = meter.hash.digest('hex');
      if (options.expectedSha256 !== undefined && options.expectedSha256.toLowerCase() !== sha256) {
        await this.#remove(id);
        return { ok: false, reason: 'ChecksumMismatch', expected: options.expectedSha256, actual: sha256, size: meter.size };
      }
      await this.#db.updateTable('blobs').set({ state: 'ready', size: meter.size, sha256 }).where('id', '=', id).execute();
      return { ok: true, blob: { id, tenantId: options.tenantId, name: options.name, contentType: options.contentType, size: meter.size, sha256, createdAt } };
    } catch (err) {
      await this.#remove(id).catch(() => {});
      if (err instanceof BlobTooLargeError) return { ok: false, reason: 'TooLarge', maxBytes: options.maxBytes };
      throw err;
    }
  }

  async stat(id: string): Promise<BlobInfo | undefined> {
    if (!BLOB_ID.test(id)) return undefined;
    const row = await this.#db.selectFrom('blobs').selectAll().where('id', '=', id).where('state', '=', 'ready').executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, tenantId: row.tenant_id, name: row.name, contentType: row.content_type, size: Number(row.size), sha256: row.sha256, createdAt: row.created_at };
  }

  async *read(id: string): AsyncIterable<Uint8Array> {
    if (!(await this.stat(id))) throw new Error(`blob ${id} does not exist`);
    // One chunk per query: memory stays at one chunk whatever the blob's size.
    for (let seq = 0; ; seq++) {
      const chunk = await this.#db.selectFrom('blob_chunks').select('data').where('blob_id', '=', id).where('seq', '=', seq).executeTakeFirst();
      if (!chunk) return;
      yield chunk.data instanceof Uint8Array ? chunk.data : Buffer.from(chunk.data);
    }
  }

  async delete(id: string): Promise<boolean> {
    if (!BLOB_ID.test(id)) return false;
    const result = await this.#db.deleteFrom('blobs').where('id', '=', id).where('state', '=', 'ready').executeTakeFirst();
    await this.#db.deleteFrom('blob_chunks').where('blob_id', '=', id).execute();
    return Number(result.numDeletedRows) > 0;
  }

  /** Removes writes left `writing` by a crashed process, started before `before` (MDE timestamp). */
  async purgeIncomplete(before: string): Promise<number> {
    const stale = await this.#db.selectFrom('blobs').select('id').where('state', '=', 'writing').where('created_at', '<', before).execute();
    for (const { id } of stale) await this.#remove(id);
    return stale.length;
  }

  async #remove(id: string): Promise<void> {
    await this.#db.deleteFrom('blob_chunks').where('blob_id', '=', id).execute();
    await this.#db.deleteFrom('blobs').where('id', '=', id).execute();
  }
}
