import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { restrictCodeExecutionExecutor } from '../restrict-code-execution/index.js';
import { unrestrictCodeExecutionExecutor as unrestrict } from './index.js';

describe('unrestrictCodeExecutionExecutor', () => {
  let dir: string;
  let p: FakePlatform;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-urce-'));
    p = createFakePlatform();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should stop the guard and leave the state directory exactly as before restriction', async () => {
    const ctx = makeTestContext(p, { stateDir: dir });
    const before = await readdir(dir);
    await restrictCodeExecutionExecutor.run({}, ctx);
    const r = await unrestrict.run({}, ctx);
    expect(r).toEqual({ status: 'Succeeded', output: { wasRestricted: true } });
    expect(p.calls.guardStops).toEqual([4242]);
    expect(await readdir(dir)).toEqual(before);
    await restrictCodeExecutionExecutor.restore!(ctx);
    expect(p.calls.guardStarts).toHaveLength(1); // nothing re-applied after a restart
  });

  it('should succeed when not restricted', async () => {
    expect(await unrestrict.run({}, makeTestContext(p, { stateDir: dir }))).toEqual({ status: 'Succeeded', output: { wasRestricted: false } });
    expect(p.calls.guardStops).toEqual([]);
  });
});
