/**
 * The live response library (mde-api.md §4.11): list, upload (streamed into the BlobStore), delete.
 * Rules live here (names, size limit, override); storage in the LibraryStore/BlobStore ports.
 */
import { isLibraryFileName, toMdeTimestamp } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { LibraryFileRecord, LibraryStore } from '../ports/library-store.js';

/** The API's upload limit (mde-api.md §4.11; the console's 250 MB does not apply to the API). */
export const MAX_LIBRARY_FILE_BYTES = 20 * 1024 * 1024;

/** An error message when `name` is not a valid library file name, else undefined. */
export function checkLibraryFileName(name: string): string | undefined {
  // The rule itself is protocol's (LIBRARY_FILE_NAME), shared with the agent.
  if (!isLibraryFileName(name)) {
    return `Invalid file name '${name.slice(0, 300)}': use 1-255 letters, digits, '-', '_' and '.'`;
  }
  return undefined;
}

/** The wire entity (mde-api.md §4.11), in the documented property order. */
export interface WireLibraryFile {
  fileName: string;
  sha256: string;
  description: string | null;
  creationTime: string;
  lastUpdatedTime: string;
  createdBy: string;
  hasParameters: boolean;
  parametersDescription: string | null;
  /** @extension Cordon: the content's size in bytes. */
  size: number;
}

export function toWireLibraryFile(r: LibraryFileRecord): WireLibraryFile {
  return {
    fileName: r.fileName,
    sha256: r.sha256,
    description: r.description,
    creationTime: r.creationTime,
    lastUpdatedTime: r.lastUpdatedTime,
    createdBy: r.createdBy,
    hasParameters: r.hasParameters,
    parametersDescription: r.parametersDescription,
    size: r.size,
  };
}

/** The metadata of an upload (multipart fields, mde-api.md §4.11). */
export interface LibraryFileFields {
  description: string | null;
  parametersDescription: string | null;
  hasParameters: boolean;
  overrideIfExists: boolean;
}

export interface LibraryUpload extends LibraryFileFields {
  fileName: string;
  content: AsyncIterable<Uint8Array>;
}

/** Content stored but not yet in the library: `commit` it, or `discard` it. */
export interface StagedLibraryFile {
  tenantId: string;
  fileName: string;
  blobId: string;
  size: number;
  sha256: string;
}

export interface LibraryServiceDeps {
  library: LibraryStore;
  blobs: BlobStore;
  clock: Clock;
  maxFileBytes?: number;
}

export class LibraryService {
  readonly #deps: LibraryServiceDeps;
  readonly #maxBytes: number;

  constructor(deps: LibraryServiceDeps) {
    this.#deps = deps;
    this.#maxBytes = deps.maxFileBytes ?? MAX_LIBRARY_FILE_BYTES;
  }

  list(tenantId: string): Promise<LibraryFileRecord[]> {
    return this.#deps.library.list(tenantId);
  }

  /** The file, or ResourceNotFound. */
  async get(tenantId: string, fileName: string): Promise<LibraryFileRecord> {
    const found = checkLibraryFileName(fileName) === undefined ? await this.#deps.library.get(tenantId, fileName) : undefined;
    if (!found) throw new DomainError('ResourceNotFound', `Library file ${fileName} was not found`);
    return found;
  }

  /** Names among `fileNames` that the tenant's library does not hold. */
  async missing(tenantId: string, fileNames: Iterable<string>): Promise<string[]> {
    const out: string[] = [];
    for (const name of new Set(fileNames)) if (!(await this.#deps.library.get(tenantId, name))) out.push(name);
    return out;
  }

  /** Stages then commits: for callers that know the fields before the content. */
  async upload(requester: { tenantId: string; name: string }, input: LibraryUpload): Promise<LibraryFileRecord> {
    if (!input.overrideIfExists) await this.#refuseExisting(requester.tenantId, input.fileName);
    const staged = await this.stage(requester.tenantId, input.fileName, input.content);
    return this.commit(requester, staged, input);
  }

  /**
   * Streams the content into the blob store (multipart bodies may send the file before the fields
   * that say what to do with it). Checks the name first, so a bad name never reads the content.
   */
  async stage(tenantId: string, fileName: string, content: AsyncIterable<Uint8Array>): Promise<StagedLibraryFile> {
    const nameError = checkLibraryFileName(fileName);
    if (nameError) throw new DomainError('InvalidRequestBody', nameError);
    const put = await this.#deps.blobs.put(content, { tenantId, name: fileName, contentType: 'application/octet-stream', maxBytes: this.#maxBytes });
    if (!put.ok) {
      // MDE documents 400 for a bad upload body (mde-api.md §4.11), not 413.
      if (put.reason === 'TooLarge') throw new DomainError('InvalidRequestBody', `File ${fileName} is larger than the ${this.#maxBytes / 1024 / 1024} MB library file limit`);
      throw new DomainError('InvalidRequestBody', `File ${fileName} did not match its checksum`);
    }
    return { tenantId, fileName, blobId: put.blob.id, size: put.blob.size, sha256: put.blob.sha256 };
  }

  /** Drops staged content that will not be committed. */
  async discard(staged: StagedLibraryFile): Promise<void> {
    await this.#deps.blobs.delete(staged.blobId);
  }

  /** Puts staged content in the library under its name (replacing only with `overrideIfExists`). */
  async commit(requester: { tenantId: string; name: string }, staged: StagedLibraryFile, fields: LibraryFileFields): Promise<LibraryFileRecord> {
    const now = toMdeTimestamp(this.#deps.clock.now());
    const record: LibraryFileRecord = {
      tenantId: staged.tenantId,
      fileName: staged.fileName,
      blobId: staged.blobId,
      size: staged.size,
      sha256: staged.sha256,
      description: fields.description,
      creationTime: now,
      lastUpdatedTime: now,
      createdBy: requester.name,
      hasParameters: fields.hasParameters,
      parametersDescription: fields.parametersDescription,
    };
    try {
      if (await this.#deps.library.create(record)) return record;
      if (!fields.overrideIfExists) throw exists(staged.fileName);
      const replaced = await this.#deps.library.replace(record);
      if (!replaced) throw new DomainError('ServiceUnavailable', `Library file ${staged.fileName} changed during the upload; retry`);
      await this.#deps.blobs.delete(replaced.blobId);
      return { ...record, creationTime: replaced.creationTime, createdBy: replaced.createdBy };
    } catch (err) {
      await this.discard(staged);
      throw err;
    }
  }

  async #refuseExisting(tenantId: string, fileName: string): Promise<void> {
    if (await this.#deps.library.get(tenantId, fileName)) throw exists(fileName);
  }

  async delete(tenantId: string, fileName: string): Promise<void> {
    const deleted = checkLibraryFileName(fileName) === undefined ? await this.#deps.library.delete(tenantId, fileName) : undefined;
    if (!deleted) throw new DomainError('ResourceNotFound', `Library file ${fileName} was not found`);
    await this.#deps.blobs.delete(deleted.blobId);
  }
}

function exists(fileName: string): DomainError {
  return new DomainError('InvalidRequestBody', `A library file named ${fileName} already exists; set OverrideIfExists to true to replace it`);
}
