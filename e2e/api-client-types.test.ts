/**
 * The api-client's types are generated from the server's OpenAPI document; this holds the committed
 * file equal to what the routes' schemas produce now, and keeps web and CLI on typed methods.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_TYPES_PATH, generateApiClientTypes } from '../tools/api-client-types.js';
import { ROOT } from './support/cluster.js';

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

describe('generated api-client types', () => {
  it('match the OpenAPI document the server serves (run `npm run gen:api-client` after changing a route schema)', async () => {
    const committed = await readFile(join(ROOT, GENERATED_TYPES_PATH), 'utf8');
    expect(committed === (await generateApiClientTypes()), 'packages/api-client/src/generated/openapi.ts is stale: run `npm run gen:api-client`').toBe(true);
  });

  it('leave no untyped client.request call in the web or the CLI', async () => {
    const offenders: string[] = [];
    for (const pkg of ['web', 'cli']) {
      for (const file of await sources(join(ROOT, 'packages', pkg, 'src'))) {
        if (/\bclient\s*\.\s*request\s*\(|\)\s*\.request\s*\(/.test(await readFile(file, 'utf8'))) offenders.push(file.slice(ROOT.length + 1));
      }
    }
    expect(offenders).toEqual([]);
  });
});
