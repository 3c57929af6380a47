/**
 * Downloads for `package download`: to a named file, to stdout (`-o -`), or, without -o, to the
 * file name the server offers (Content-Disposition), like `curl -OJ`.
 */
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CordonClient } from '@cordon/api-client';
import { openDownloadStream, writeFileAtomically } from '@cordon/api-client/node';

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
  const opened = await openDownloadStream(client, url, ({ received, total }) => onProgress(received, total));
  const file = target ?? offeredFileName(opened.response.headers.get('content-disposition'), url) ?? fallback;
  // stdout stays open for later output: pipe without ending it.
  if (file === STDOUT) await pipeline(opened.body, keepOpen(process.stdout));
  else await writeFileAtomically(opened.body, file);
  return { file, bytes: opened.received() };
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
