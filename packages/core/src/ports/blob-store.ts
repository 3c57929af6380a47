/**
 * Storage of binary results (investigation packages, live response transcripts and files) and
 * library files. One interface, several backends: the local filesystem (embedded default), the
 * database (PostgreSQL, so several server processes share blobs with no extra service) and later
 * an S3-compatible one. The shape is chosen so an object store fits: a blob is written once from a
 * stream (multipart upload, aborted on failure), read as a stream, and never modified.
 */

/** What is known about a stored blob. Blobs are immutable: content never changes after `put`. */
export interface BlobInfo {
  /** Random, unguessable id (32 hex), assigned by the store. */
  id: string;
  tenantId: string;
  /** File name the writer gave (shown in downloads); not unique. */
  name: string;
  contentType: string;
  size: number;
  /** Lower-case hex SHA-256 of the content, computed by the store while writing. */
  sha256: string;
  /** MDE timestamp. */
  createdAt: string;
}

export interface BlobPutOptions {
  tenantId: string;
  name: string;
  contentType: string;
  /** The write fails with `TooLarge` as soon as more bytes than this arrive. */
  maxBytes: number;
  /** When set, the write fails with `ChecksumMismatch` (and stores nothing) unless the content hashes to it. */
  expectedSha256?: string;
}

/**
 * A write either stores the whole blob or nothing (a reader never sees a partial blob).
 * Expected failures are data; I/O failures of the backend are thrown.
 */
export type BlobPutOutcome =
  | { ok: true; blob: BlobInfo }
  | { ok: false; reason: 'TooLarge'; maxBytes: number }
  | { ok: false; reason: 'ChecksumMismatch'; expected: string; actual: string; size: number };

export interface BlobStore {
  /** Streams `source` in, hashing and counting as it goes. Aborting the source aborts the write. */
  put(source: AsyncIterable<Uint8Array>, options: BlobPutOptions): Promise<BlobPutOutcome>;
  /** Metadata of a complete blob, or undefined. */
  stat(id: string): Promise<BlobInfo | undefined>;
  /** The content, in order, as chunks. Throws if the blob does not exist. */
  read(id: string): AsyncIterable<Uint8Array>;
  /** False when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
}
