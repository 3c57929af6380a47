/**
 * Node-only helpers of the api client: streaming a download link to a file. Kept out of the main
 * entry so the web UI never pulls node:fs.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CordonApiError } from '../errors.js';
import type { CordonClient } from '../client.js';

export interface DownloadProgress {
  received: number;
  /** From Content-Length; null when the server streams without one. */
  total: number | null;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Streams `url` (a package or live response link) to `file` without buffering it in memory.
 * Writes to `file.partial` first and renames at the end, so a failed transfer never leaves a
 * truncated file under the requested name. Returns the number of bytes written.
 */
export async function downloadToFile(client: CordonClient, url: string, file: string, options: DownloadOptions = {}): Promise<number> {
  const response = await client.request('GET', url);
  if (!response.body) throw new CordonApiError(response.status, 'EmptyResponse', 'the download link returned no content');
  const header = response.headers.get('content-length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      options.onProgress?.({ received, total });
      done(null, chunk);
    },
  });
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), count, createWriteStream(partial), { signal: options.signal });
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return received;
}

export { signInUser, userSessionTokenSource, type UserSession } from './session.js';
