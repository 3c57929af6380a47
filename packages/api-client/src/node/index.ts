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

/** An opened download link: its response, and its body counting bytes as they pass. */
export interface OpenedDownload {
  response: Response;
  /** From Content-Length; null when the server streams without one. */
  total: number | null;
  /** The body; reading it reports progress. */
  body: Readable;
  received(): number;
}

/** Opens `url` (a package or live response link) as a stream that reports progress as it is read. */
export async function openDownloadStream(client: CordonClient, url: string, onProgress?: (progress: DownloadProgress) => void): Promise<OpenedDownload> {
  const response = await client.openDownload(url);
  if (!response.body) throw new CordonApiError(response.status, 'EmptyResponse', 'the download link returned no content');
  const header = response.headers.get('content-length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      onProgress?.({ received, total });
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>).pipe(count);
  return { response, total, body, received: () => received };
}

/**
 * Writes `body` to `file.partial` and renames it at the end, so a failed transfer never leaves a
 * truncated file under the requested name.
 */
export async function writeFileAtomically(body: Readable, file: string, signal?: AbortSignal): Promise<void> {
  const partial = `${file}.partial`;
  try {
    await pipeline(body, createWriteStream(partial), ...(signal ? [{ signal }] : []));
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/** Streams `url` to `file` without buffering it in memory (see writeFileAtomically). Returns the bytes written. */
export async function downloadToFile(client: CordonClient, url: string, file: string, options: DownloadOptions = {}): Promise<number> {
  const opened = await openDownloadStream(client, url, options.onProgress);
  await writeFileAtomically(opened.body, file, options.signal);
  return opened.received();
}

export { signInUser, signOutUser, userSessionTokenSource, type UserSession } from './session.js';
export { followAction, NOT_AN_EVENT_STREAM, streamEvents, type CordonEvent, type StreamOptions } from './events.js';
