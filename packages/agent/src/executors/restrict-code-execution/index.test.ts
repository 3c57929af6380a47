import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { restrictCodeExecutionExecutor as restrict } from './index.js';

describe('restrictCodeExecutionExecutor', () => {
  let dir: string;
  let p: FakePlatform;
  const SHA = 'AB'.repeat(32);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-rce-'));
    p = createFakePlatform();
    p.state.packageFiles = ['/usr/bin/ls', '/usr/bin/true'];
    p.state.runtimeFiles = ['/usr/bin/node', '/var/lib/cordon/tools/cordon-exec-guard'];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should write the exact trust list (packages, runtime, allow-list) and start the guard on it', async () => {
    const ctx = makeTestContext(p, { stateDir: dir, settings: { executionAllowList: ['/opt/app/run', SHA] } });
    const r = await restrict.run({}, ctx);
    expect(r).toEqual({ status: 'Succeeded', output: { guardPid: 4242, trustedEntries: 6 } });
    expect(await readFile(join(dir, 'restriction/trust.list'), 'utf8')).toBe(
      ['/opt/app/run', '/usr/bin/ls', '/usr/bin/node', '/usr/bin/true', '/var/lib/cordon/tools/cordon-exec-guard', `sha256:${SHA.toLowerCase()}`, ''].join('\n'),
    );
    expect(p.calls.guardStarts).toEqual([{ trustFile: join(dir, 'restriction/trust.list'), logFile: join(dir, 'restriction/guard.log') }]);
    expect(JSON.parse(await readFile(join(dir, 'restriction.json'), 'utf8'))).toEqual({ restricted: true, pid: 4242, since: 1_700_000_000_000 });
    expect((await stat(join(dir, 'restriction.json'))).mode & 0o777).toBe(0o600);
    expect(p.calls.notify).toHaveLength(1);
  });

  it('should refuse a malformed allow-list before starting anything', async () => {
    const ctx = makeTestContext(p, { stateDir: dir, settings: { executionAllowList: ['relative/x', '/a/../etc'] } });
    const r = await restrict.run({}, ctx);
    expect(r).toEqual({ status: 'Failed', error: { code: 'RestrictionRefused', message: 'Malformed execution allow-list entries (absolute path or sha256 expected): relative/x, /a/../etc' } });
    expect(p.calls.guardStarts).toEqual([]);
  });

  it('should fail with the guard error and persist nothing', async () => {
    p.state.guardStartError = 'exec guard failed to start: fanotify_init: Operation not permitted';
    const r = await restrict.run({}, makeTestContext(p, { stateDir: dir }));
    expect(r).toEqual({ status: 'Failed', error: { code: 'RestrictionFailed', message: 'exec guard failed to start: fanotify_init: Operation not permitted' } });
    expect(await readFile(join(dir, 'restriction.json'), 'utf8').catch(() => 'absent')).toBe('absent');
  });

  it('should replace the guard without a gap when restricted again', async () => {
    const ctx = makeTestContext(p, { stateDir: dir });
    await restrict.run({}, ctx);
    await restrict.run({}, ctx);
    expect(p.calls.guardStarts).toHaveLength(2);
    expect(p.calls.guardStops).toEqual([4242]);
    expect([...p.state.guardRunning]).toEqual([4243]);
  });

  it('should restart a dead guard on restore and leave a live one alone', async () => {
    const ctx = makeTestContext(p, { stateDir: dir });
    await restrict.run({}, ctx);
    await restrict.restore!(ctx);
    expect(p.calls.guardStarts).toHaveLength(1);
    p.state.guardRunning.clear(); // reboot
    await restrict.restore!(ctx);
    expect(p.calls.guardStarts).toHaveLength(2);
    expect(JSON.parse(await readFile(join(dir, 'restriction.json'), 'utf8')).pid).toBe(4243);
  });
});
