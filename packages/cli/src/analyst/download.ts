/**
 * Downloads for `package download`: to a named file, to stdout (`-o -`), or, without -o, to the
 * file name the server offers (Content-Disposition), like `curl -OJ`.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CordonApiError, type CordonClient } from '@cordon/api-client';

export const STDOUT = '-';

/**
 * The file name the server offers, reduced to `[A-Za-z0-9._-]` and a base name so a hostile header
 * can never write outside the working directory; undefined when there is none.
 */
export function offeredFileName(disposition: string | null, url: string): string | undefined {
  const fromHeader = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] : undefined;
  const fromUrl = new URL(url, 'http://x').pathname.split('/').pop();
  for (const candidate of [fromHeader, fromUrl]) {
    const safe = basename(decodeURIComponentSafe(candidate ?? '')).replace(/[^A-Za-z0-9._-]/g, '_');
    if (safe && !/^\.+$/.test(safe)) return safe;
  }
  return undefined;
}

/**
 * Streams `url` to `target` (`-` is stdout; undefined is the offered name, else `fallback`). A file
 * is written to `<file>.partial` and renamed at the end, so a failed transfer leaves no truncated file.
 */
export async function download(
  client: CordonClient,
  url: string,
  target: string | undefined,
  fallback: string,
  onProgress: (received: number, total: number | null) => void,
): Promise<{ file: string; bytes: number }> {
  const response = await client.openDownload(url);
  if (!response.body) throw new CordonApiError(response.status, 'EmptyResponse', 'the download link returned no content');
  const file = target ?? offeredFileName(response.headers.get('content-disposition'), url) ?? fallback;
  const header = response.headers.get('content-length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      onProgress(received, total);
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  if (file === STDOUT) {
    // stdout stays open for later output: pipe without ending it.
    await pipeline(body, count, keepOpen(process.stdout));
    return { file, bytes: received };
  }
  const partial = `${file}.partial`;
  try {
    await pipeline(body, count, createWriteStream(partial));
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { file, bytes: received };
}

/** A sink that writes to `out` (honouring backpressure) without ever ending it. */
function keepOpen(out: NodeJS.WriteStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (out.write(chunk)) done();
      else out.once('drain', () => done());
    },
  });
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
