import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CordonClient } from '@cordon/api-client';
import { downloadToFile } from '@cordon/api-client/node';
import { mdeError, startFakeServer, type FakeServer } from '@cordon/api-client/testing';

let server: FakeServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
});

describe(downloadToFile.name, () => {
  it('should stream the link target to the file and report progress against Content-Length', async () => {
    const bytes = Buffer.alloc(100_000, 7);
    server = await startFakeServer(() => ({ body: bytes, headers: { 'content-type': 'application/zip', 'content-length': String(bytes.length) } }));
    dir = await mkdtemp(join(tmpdir(), 'cordon-dl-'));
    const progress: Array<[number, number | null]> = [];
    const file = join(dir, 'pkg.zip');
    const n = await downloadToFile(new CordonClient({ baseUrl: server.url, token: 't' }), `${server.url}/safedownload/p.zip`, file, {
      onProgress: (p) => progress.push([p.received, p.total]),
    });
    expect(n).toBe(100_000);
    expect((await readFile(file)).equals(bytes)).toBe(true);
    expect(progress.at(-1)).toEqual([100_000, 100_000]);
    expect(server.requests[0].headers.authorization).toBe('Bearer t');
  });

  it('should leave no file behind when the link is refused', async () => {
    server = await startFakeServer(() => mdeError(404, 'ResourceNotFound', 'gone'));
    dir = await mkdtemp(join(tmpdir(), 'cordon-dl-'));
    const err = await downloadToFile(new CordonClient({ baseUrl: server.url, token: 't' }), '/x.zip', join(dir, 'x.zip')).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('ResourceNotFound');
    expect(await readdir(dir)).toEqual([]);
  });
});
