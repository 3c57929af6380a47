/**
 * Reads an investigation package zip from the blob store for the rules engine: every file entry as
 * UTF-8 text, by path. yauzl (maintained, validates names and sizes) does the zip parsing.
 * Caps keep a hostile or huge package from exhausting memory: the zip itself, each entry and the
 * total of decompressed text are bounded; entries over the per-entry cap are skipped (the rules
 * read CSV and text data points, which the agent already caps at 16 MB each).
 */
import yauzl from 'yauzl';
import type { Readable } from 'node:stream';
import type { BlobStore, PackageReader } from '@cordon/core';

export interface PackageReaderLimits {
  maxZipBytes: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_PACKAGE_READER_LIMITS: PackageReaderLimits = {
  maxZipBytes: 512 * 1024 * 1024,
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
};

async function readAll(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) {
      stream.destroy();
      throw new Error(`entry larger than ${max} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** path -> text of every file entry of the zip in `buffer`. */
export async function unzipText(buffer: Buffer, limits: PackageReaderLimits = DEFAULT_PACKAGE_READER_LIMITS): Promise<Map<string, string>> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true });
  const files = new Map<string, string>();
  let total = 0;
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          if (++count > limits.maxEntries) throw new Error(`more than ${limits.maxEntries} entries`);
          const isDir = entry.fileName.endsWith('/');
          if (!isDir && entry.uncompressedSize <= limits.maxEntryBytes && total + entry.uncompressedSize <= limits.maxTotalBytes) {
            const data = await readAll(await zip.openReadStreamPromise(entry), limits.maxEntryBytes);
            total += data.length;
            files.set(entry.fileName, data.toString('utf8'));
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return files;
}

export function createBlobPackageReader(blobs: BlobStore, limits: PackageReaderLimits = DEFAULT_PACKAGE_READER_LIMITS): PackageReader {
  return {
    async read(tenantId, blobId) {
      const info = await blobs.stat(blobId);
      if (!info || info.tenantId !== tenantId) throw new Error('the package is no longer stored');
      if (info.size > limits.maxZipBytes) throw new Error(`the package is ${info.size} bytes; the limit is ${limits.maxZipBytes}`);
      const chunks: Uint8Array[] = [];
      for await (const chunk of blobs.read(blobId)) chunks.push(chunk);
      return unzipText(Buffer.concat(chunks), limits);
    },
  };
}
