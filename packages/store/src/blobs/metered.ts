/** Hashing, counting and re-chunking a blob's content while it streams through (no buffering of the whole). */
import { createHash, type Hash } from 'node:crypto';

/** Thrown inside a write when the content exceeds its size limit; the stores turn it into `TooLarge`. */
export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
}

export interface Meter {
  size: number;
  hash: Hash;
}

export function newMeter(): Meter {
  return { size: 0, hash: createHash('sha256') };
}

/** Passes chunks through, updating `meter`; throws BlobTooLargeError past `maxBytes`. */
export async function* metered(source: AsyncIterable<Uint8Array>, maxBytes: number, meter: Meter): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    meter.size += chunk.byteLength;
    if (meter.size > maxBytes) throw new BlobTooLargeError(`more than ${maxBytes} bytes`);
    meter.hash.update(chunk);
    yield chunk;
  }
}

/** Regroups a stream into chunks of exactly `size` bytes (the last may be shorter). */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (const chunk of source) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (buf.length > 0) {
      const take = Math.min(size - have, buf.length);
      parts.push(buf.subarray(0, take));
      have += take;
      buf = buf.subarray(take);
      if (have === size) {
        yield Buffer.concat(parts, have);
        parts = [];
        have = 0;
      }
    }
  }
  if (have > 0) yield Buffer.concat(parts, have);
}

/** 32 hex characters: unguessable, path- and URL-safe. */
export const BLOB_ID = /^[0-9a-f]{32}$/;
