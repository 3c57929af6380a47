import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FsBlobStore } from './fs-blob-store.js';
import { runBlobStoreContract } from './blob-store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'cordon-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file under the root (content, metadata and leftovers in tmp/). */
function listFiles(): Promise<string[]> {
  return Promise.resolve((readdirSync(root, { recursive: true }) as string[]).sort());
}

runBlobStoreContract('filesystem', () => new FsBlobStore({ root }), { listIds: listFiles });
