import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { createIsolateExecutor } from '../isolate/index.js';
import { unisolateExecutor } from './index.js';

describe('unisolateExecutor', () => {
  let dir: string;
  let p: FakePlatform;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-uniso-'));
    p = createFakePlatform();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should delete only the isolation table even when not isolated, and not notify', async () => {
    const r = await unisolateExecutor.run({}, makeTestContext(p, { stateDir: dir }));
    expect(r).toEqual({ status: 'Succeeded', output: { wasIsolated: false } });
    expect(p.calls.nft).toEqual(['table inet cordon_isolation\ndelete table inet cordon_isolation\n']);
    expect(p.calls.notify).toEqual([]);
  });

  it('should clear the persisted isolation so a restart does not re-isolate', async () => {
    const ctx = makeTestContext(p, { stateDir: dir, serverUrls: () => ['https://10.0.0.1'] });
    await createIsolateExecutor({ refreshIntervalMs: 0 }).run({}, ctx);
    await unisolateExecutor.run({}, ctx);
    expect(await readFile(join(dir, 'isolation.json'), 'utf8').catch(() => 'absent')).toBe('absent');
    const fresh = createFakePlatform();
    await createIsolateExecutor({ refreshIntervalMs: 0 }).restore!(makeTestContext(fresh, { stateDir: dir }));
    expect(fresh.calls.nft).toEqual([]);
  });
});
