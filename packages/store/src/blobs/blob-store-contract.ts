/**
 * One contract suite every BlobStore backend runs (fs, database on SQLite and PostgreSQL; an S3
 * backend would run it too).
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '@cordon/core';

async function* chunks(...parts: (string | Buffer)[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

async function readAll(store: BlobStore, id: string): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of store.read(id)) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const opts = { tenantId: 't1', name: 'a.bin', contentType: 'application/octet-stream', maxBytes: 10 * 1024 * 1024 };

export function runBlobStoreContract(name: string, newStore: () => BlobStore, options: { listIds?: () => Promise<string[]> } = {}): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('should store streamed content and give back the same bytes, size and sha256', async () => {
      const store = newStore();
      const content = randomBytes(3 * 1024 * 1024 + 17); // several DB chunks, a short last one
      const put = await store.put(chunks(content.subarray(0, 1000), content.subarray(1000)), opts);
      expect(put).toEqual({ ok: true, blob: { id: expect.stringMatching(/^[0-9a-f]{32}$/), tenantId: 't1', name: 'a.bin', contentType: 'application/octet-stream', size: content.length, sha256: sha(content), createdAt: expect.any(String) } });
      if (!put.ok) return;
      expect(await store.stat(put.blob.id)).toEqual(put.blob);
      expect((await readAll(store, put.blob.id)).equals(content)).toBe(true);
    });

    it('should store an empty blob', async () => {
      const store = newStore();
      const put = await store.put(chunks(), opts);
      expect(put).toMatchObject({ ok: true, blob: { size: 0, sha256: sha('') } });
      if (put.ok) expect((await readAll(store, put.blob.id)).length).toBe(0);
    });

    it('should accept the content when it matches the expected sha256, in any letter case', async () => {
      const store = newStore();
      const put = await store.put(chunks('hello'), { ...opts, expectedSha256: sha('hello').toUpperCase() });
      expect(put).toMatchObject({ ok: true, blob: { sha256: sha('hello') } });
    });

    it('should store nothing when the checksum does not match', async () => {
      const store = newStore();
      const before = await options.listIds?.();
      const put = await store.put(chunks('hello'), { ...opts, expectedSha256: sha('other') });
      expect(put).toEqual({ ok: false, reason: 'ChecksumMismatch', expected: sha('other'), actual: sha('hello'), size: 5 });
      if (options.listIds) expect(await options.listIds()).toEqual(before);
    });

    it('should stop at the size limit and store nothing', async () => {
      const store = newStore();
      const before = await options.listIds?.();
      let pulled = 0;
      async function* endless(): AsyncIterable<Uint8Array> {
        for (;;) {
          pulled++;
          yield Buffer.alloc(1024);
        }
      }
      expect(await store.put(endless(), { ...opts, maxBytes: 4096 })).toEqual({ ok: false, reason: 'TooLarge', maxBytes: 4096 });
      expect(pulled).toBe(5); // stopped reading right past the limit
      if (options.listIds) expect(await options.listIds()).toEqual(before);
    });

    it('should store nothing when the source fails, and rethrow', async () => {
      const store = newStore();
      const before = await options.listIds?.();
      async function* broken(): AsyncIterable<Uint8Array> {
        yield Buffer.from('part');
        throw new Error('connection reset');
      }
      await expect(store.put(broken(), opts)).rejects.toThrow('connection reset');
      if (options.listIds) expect(await options.listIds()).toEqual(before);
    });

    it('should delete a blob once, and not know it afterwards', async () => {
      const store = newStore();
      const put = await store.put(chunks('x'), opts);
      if (!put.ok) throw new Error('put failed');
      expect(await store.delete(put.blob.id)).toBe(true);
      expect(await store.delete(put.blob.id)).toBe(false);
      expect(await store.stat(put.blob.id)).toBeUndefined();
      await expect(readAll(store, put.blob.id)).rejects.toThrow();
    });

    it('should not know ids that were never stored or are malformed', async () => {
      const store = newStore();
      expect(await store.stat('0'.repeat(32))).toBeUndefined();
      expect(await store.stat('../../etc/passwd')).toBeUndefined();
      expect(await store.delete('../x')).toBe(false);
    });
  });
}
