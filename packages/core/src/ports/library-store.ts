/**
 * The live response library (mde-api.md §4.11): per-tenant files (scripts and tools) that
 * RunScript and PutFile name. The content is a blob in the BlobStore; this keeps the entity.
 */

/** One library file, as the domain keeps it (the wire entity is derived by `toWireLibraryFile`). */
export interface LibraryFileRecord {
  tenantId: string;
  /** Unique per tenant; letters, digits, `-`, `_`, `.` (LIBRARY_FILE_NAME). */
  fileName: string;
  /** The BlobStore id of the content. */
  blobId: string;
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
  description: string | null;
  creationTime: string;
  lastUpdatedTime: string;
  createdBy: string;
  hasParameters: boolean;
  parametersDescription: string | null;
}

export interface LibraryStore {
  list(tenantId: string): Promise<LibraryFileRecord[]>;
  get(tenantId: string, fileName: string): Promise<LibraryFileRecord | undefined>;
  /** Inserts; false (and nothing written) when the name is taken in the tenant. */
  create(record: LibraryFileRecord): Promise<boolean>;
  /**
   * Replaces an existing entry (content and metadata, keeping creationTime and createdBy); returns
   * the replaced record, or undefined when there was none.
   */
  replace(record: LibraryFileRecord): Promise<LibraryFileRecord | undefined>;
  /** Returns the deleted record, or undefined when there was none. */
  delete(tenantId: string, fileName: string): Promise<LibraryFileRecord | undefined>;
}

/** A long-lived secret of the deployment (e.g. the HMAC key of download links), shared by every process. */
export interface SecretStore {
  /** The secret named `name`; the first caller's `create()` value wins across processes. */
  getOrCreate(name: string, create: () => string): Promise<string>;
}
