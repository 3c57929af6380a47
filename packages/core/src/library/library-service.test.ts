import { describe, expect, it } from 'vitest';
import type { BlobInfo, BlobPutOptions, BlobPutOutcome, BlobStore } from '../ports/blob-store.js';
import type { LibraryFileRecord, LibraryStore } from '../ports/library-store.js';
import { checkLibraryFileName, LibraryService, toWireLibraryFile } from './library-service.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
async function* source(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield bytes(p);
}

/** In-memory blob store: ids are counters, the "hash" is the content itself (enough for these rules). */
class MemoryBlobs implements BlobStore {
  readonly blobs = new Map<string, BlobInfo>();
  #next = 0;
  async put(src: AsyncIterable<Uint8Array>, o: BlobPutOptions): Promise<BlobPutOutcome> {
    let text = '';
    for await (const c of src) {
      text += String.fromCharCode(...c);
      if (text.length > o.maxBytes) return { ok: false, reason: 'TooLarge', maxBytes: o.maxBytes };
    }
    const id = String(++this.#next).padStart(32, '0');
    const blob = { id, tenantId: o.tenantId, name: o.name, contentType: o.contentType, size: text.length, sha256: `sha(${text})`, createdAt: 'now' };
    this.blobs.set(id, blob);
    return { ok: true, blob };
  }
  async stat(id: string) {
    return this.blobs.get(id);
  }
  async *read(): AsyncIterable<Uint8Array> {}
  async delete(id: string) {
    return this.blobs.delete(id);
  }
}

class MemoryLibrary implements LibraryStore {
  readonly rows = new Map<string, LibraryFileRecord>();
  /** Simulates another upload winning between the existence check and the insert. */
  raceOnCreate: LibraryFileRecord | undefined;
  key = (t: string, f: string) => `${t}/${f}`;
  async list(t: string) {
    return [...this.rows.values()].filter((r) => r.tenantId === t);
  }
  async get(t: string, f: string) {
    return this.rows.get(this.key(t, f));
  }
  async create(r: LibraryFileRecord) {
    if (this.raceOnCreate) this.rows.set(this.key(r.tenantId, r.fileName), this.raceOnCreate);
    if (this.rows.has(this.key(r.tenantId, r.fileName))) return false;
    this.rows.set(this.key(r.tenantId, r.fileName), r);
    return true;
  }
  async replace(r: LibraryFileRecord) {
    const old = this.rows.get(this.key(r.tenantId, r.fileName));
    if (!old) return undefined;
    this.rows.set(this.key(r.tenantId, r.fileName), { ...r, creationTime: old.creationTime, createdBy: old.createdBy });
    return old;
  }
  async delete(t: string, f: string) {
    const old = this.rows.get(this.key(t, f));
    this.rows.delete(this.key(t, f));
    return old;
  }
}

function setup(maxFileBytes?: number) {
  const blobs = new MemoryBlobs();
  const library = new MemoryLibrary();
  let now = Date.UTC(2026, 0, 1);
  const service = new LibraryService({ blobs, library, clock: { now: () => now }, ...(maxFileBytes ? { maxFileBytes } : {}) });
  return { blobs, library, service, advance: (ms: number) => (now += ms) };
}

const who = { tenantId: 't', name: 'alice' };
const fields = { description: null, parametersDescription: null, hasParameters: false, overrideIfExists: false };

describe(LibraryService.name, () => {
  it('should store content and metadata, and list it in the wire shape', async () => {
    const { service, blobs } = setup();
    const r = await service.upload(who, { ...fields, fileName: 'a.sh', content: source('ec', 'ho'), description: 'd', hasParameters: true, parametersDescription: 'p' });
    expect(r).toMatchObject({ fileName: 'a.sh', size: 4, sha256: 'sha(echo)', createdBy: 'alice', creationTime: '2026-01-01T00:00:00.0000000Z' });
    expect(blobs.blobs.size).toBe(1);
    expect((await service.list('t')).map(toWireLibraryFile)).toEqual([
      { fileName: 'a.sh', sha256: 'sha(echo)', description: 'd', creationTime: r.creationTime, lastUpdatedTime: r.lastUpdatedTime, createdBy: 'alice', hasParameters: true, parametersDescription: 'p', size: 4 },
    ]);
  });

  it('should refuse an existing name without reading the content', async () => {
    const { service } = setup();
    await service.upload(who, { ...fields, fileName: 'a.sh', content: source('1') });
    let read = false;
    async function* watched(): AsyncIterable<Uint8Array> {
      read = true;
      yield bytes('2');
    }
    await expect(service.upload(who, { ...fields, fileName: 'a.sh', content: watched() })).rejects.toMatchObject({ code: 'InvalidRequestBody' });
    expect(read).toBe(false);
  });

  it('should replace with override, delete the old content, and keep creation time and author', async () => {
    const { service, blobs, advance } = setup();
    const first = await service.upload(who, { ...fields, fileName: 'a.sh', content: source('1') });
    advance(1000);
    const second = await service.upload({ tenantId: 't', name: 'bob' }, { ...fields, fileName: 'a.sh', content: source('22'), overrideIfExists: true });
    expect(second).toMatchObject({ sha256: 'sha(22)', createdBy: 'alice', creationTime: first.creationTime, lastUpdatedTime: '2026-01-01T00:00:01.0000000Z' });
    expect([...blobs.blobs.keys()]).toEqual([second.blobId]);
  });

  it('should discard the staged content when another upload wins the name', async () => {
    const { service, blobs, library } = setup();
    const staged = await service.stage('t', 'a.sh', source('mine'));
    library.raceOnCreate = { ...(await service.stage('t', 'a.sh', source('theirs'))), description: null, creationTime: 'x', lastUpdatedTime: 'x', createdBy: 'eve', hasParameters: false, parametersDescription: null };
    await expect(service.commit(who, staged, fields)).rejects.toMatchObject({ code: 'InvalidRequestBody', message: 'A library file named a.sh already exists; set OverrideIfExists to true to replace it' });
    expect(blobs.blobs.has(staged.blobId)).toBe(false);
  });

  it('should refuse content over the limit and bad names with InvalidRequestBody', async () => {
    const { service, blobs } = setup(3);
    await expect(service.upload(who, { ...fields, fileName: 'big', content: source('1234') })).rejects.toMatchObject({ code: 'InvalidRequestBody' });
    await expect(service.stage('t', 'a/b', source('x'))).rejects.toMatchObject({ code: 'InvalidRequestBody' });
    expect(blobs.blobs.size).toBe(0);
  });

  it('should delete the entry and its content, and 404 what is not there', async () => {
    const { service, blobs } = setup();
    await service.upload(who, { ...fields, fileName: 'a.sh', content: source('1') });
    await service.delete('t', 'a.sh');
    expect(blobs.blobs.size).toBe(0);
    await expect(service.delete('t', 'a.sh')).rejects.toMatchObject({ code: 'ResourceNotFound', message: 'Library file a.sh was not found' });
    await expect(service.get('t', '../x')).rejects.toMatchObject({ code: 'ResourceNotFound' });
    expect(await service.missing('t', ['a.sh', 'b', 'b'])).toEqual(['a.sh', 'b']);
  });
});

describe('checkLibraryFileName', () => {
  it.each(['a.sh', 'A-b_c.1', 'x'.repeat(255)])('should accept %j', (n) => expect(checkLibraryFileName(n)).toBeUndefined());
  it.each(['', '.', '..', 'a b', 'a/b', 'é', 'x'.repeat(256)])('should refuse %j', (n) => expect(checkLibraryFileName(n)).toMatch(/^Invalid file name/));
});
