export { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store.js';
export { DbBlobStore, BLOB_CHUNK_BYTES, type BlobTables } from './db-blob-store.js';
export { BLOB_ID } from './metered.js';
