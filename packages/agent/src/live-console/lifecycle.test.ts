import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakePlatform } from '../platform/fake-platform.js';
import { createLinuxPlatform } from '../platform/index.js';
import { LiveConsoleManager } from './session-manager.js';
import { consoleHarness, fakeServerFiles, SESSION, type ConsoleHarness } from './test-harness.js';

let dir: string;
let h: ConsoleHarness;

/** A script that says its pid, then waits (and starts a child of its own that waits too). */
const WAITER = '#!/bin/sh\nsleep 300 &\necho "pid $$ child $!"\nwait\n';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cordon-live-'));
  h = consoleHarness({ platform: createLinuxPlatform({ toolsDir: join(dir, 'tools') }), stateDir: join(dir, 'state'), files: fakeServerFiles({ 'wait.sh': WAITER }, []) });
});
afterEach(async () => {
  h.manager.stopAll();
  await h.manager.idle();
  await rm(dir, { recursive: true, force: true });
  expect(h.invalid).toEqual([]);
});

async function pidsOf(commandId: number): Promise<number[]> {
  await h.waitOutput(commandId, '\n');
  const m = /pid (\d+) child (\d+)/.exec(h.text(commandId))!;
  return [Number(m[1]), Number(m[2])];
}

/** Resolves once the process is gone (or a zombie nobody waits for). */
async function gone(pid: number): Promise<void> {
  for (;;) {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (s === undefined || s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) === 'Z') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`${LiveConsoleManager.name} lifecycle`, () => {
  it('should cancel a running script: live/done Cancelled, and its process group killed', async () => {
    const id = h.send('run', ['wait.sh'], { actionId: 'a' });
    const [script, child] = await pidsOf(id);
    h.manager.onCancel(SESSION, id);
    expect(await h.waitDone(id)).toMatchObject({ status: 'Cancelled', exitCode: null, errors: ['The command was cancelled'] });
    await gone(script!);
    await gone(child!);
    expect(h.manager.running).toBe(0);
  });

  it('should stop a command at its timeoutMs with TimeOut', async () => {
    const id = h.send('run', ['wait.sh'], { actionId: 'a', timeoutMs: 300 });
    const [script] = await pidsOf(id);
    expect(await h.waitDone(id)).toMatchObject({ status: 'TimeOut', exitCode: null, errors: ['The command did not finish within 300 ms'] });
    await gone(script!);
  });

  it('should stop every command of a closed session and forget it', async () => {
    const a = h.send('run', ['wait.sh'], { actionId: 'a' });
    const b = h.send('run', ['wait.sh'], { actionId: 'b' });
    const [pa] = await pidsOf(a);
    const [pb] = await pidsOf(b);
    h.manager.onClose(SESSION);
    expect((await h.waitDone(a)).status).toBe('Cancelled');
    expect((await h.waitDone(b)).status).toBe('Cancelled');
    await gone(pa!);
    await gone(pb!);
    // Forgotten: the same command id is a new session's command and runs.
    h.send('cd', [dir], { commandId: a });
    expect((await h.waitDone(a, 2)).status).toBe('Completed');
  });

  it('should refuse a ninth command while eight run', async () => {
    const ids = Array.from({ length: 8 }, () => h.send('run', ['wait.sh'], { actionId: 'a' }));
    for (const id of ids) await pidsOf(id);
    expect(h.manager.running).toBe(8);
    expect(await h.run('dir', [dir])).toMatchObject({ status: 'Failed', errors: ['8 commands are already running in this session'] });
    h.manager.onClose(SESSION);
    for (const id of ids) expect((await h.waitDone(id)).status).toBe('Cancelled');
  });

  it('should ignore a cancel for a command that is not running', async () => {
    h.manager.onCancel(SESSION, 42);
    h.manager.onClose('no-such-session');
    expect((await h.run('cd', [dir])).status).toBe('Completed');
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});

describe('on the test-only fake platform', () => {
  it("should answer the opening probe, list real files and read the host's processes", async () => {
    const fake = consoleHarness({ platform: createFakePlatform(), stateDir: join(dir, 'state') });
    expect(await fake.run('cd', ['/'], { commandId: 0 })).toMatchObject({ status: 'Completed', cwd: '/' });
    expect((await fake.run('dir', [dir])).status).toBe('Completed');
    const processes = await fake.run('processes');
    expect(processes.status).toBe('Completed');
    expect(processes.table!.rows.length).toBeGreaterThan(0);
    expect(fake.invalid).toEqual([]);
  });
});
