import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinuxPlatform } from '../../platform/index.js';
import { consoleHarness, type ConsoleHarness } from '../test-harness.js';

let dir: string;
let h: ConsoleHarness;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cordon-live-'));
  h = consoleHarness({ platform: createLinuxPlatform({ toolsDir: join(dir, 'tools') }), stateDir: join(dir, 'state') });
});
afterEach(async () => {
  h.manager.stopAll();
  await h.manager.idle();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
  expect(h.invalid).toEqual([]);
});

async function start(file = 'sleep'): Promise<{ child: ChildProcess; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(file, ['300'], { stdio: 'ignore' });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, sig) => r(sig)));
  await new Promise((r) => child.once('spawn', r));
  return { child, exited };
}

const state = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

describe('kill', () => {
  it('should SIGKILL the process', async () => {
    const { child, exited } = await start();
    const done = await h.run('kill', [String(child.pid)], { actionId: 'a' });
    expect(done).toMatchObject({ status: 'Completed', exitCode: 0 });
    expect(await exited).toBe('SIGKILL');
    expect(h.text(1)).toMatch(new RegExp(`^Killed pid ${child.pid} \\(.*sleep\\)\\n$`));
  });

  it('should refuse pid 1, the agent itself and a pid that does not exist', async () => {
    expect((await h.run('kill', ['1'])).errors).toEqual(['pid 1 (init) is never killed or suspended: the device would go down']);
    expect((await h.run('kill', [String(process.pid)])).errors).toEqual([`pid ${process.pid} is the Cordon agent itself: it is never killed or suspended`]);
    expect((await h.run('kill', ['999999999'])).errors).toEqual(['no process with pid 999999999']);
  });
});

describe('suspend', () => {
  it('should stop the process without killing it', async () => {
    const { child } = await start();
    expect((await h.run('suspend', [String(child.pid)])).status).toBe('Completed');
    expect(await state(child.pid!)).toBe('T');
  });

  it('should refuse the agent itself', async () => {
    expect((await h.run('suspend', [String(process.pid)])).status).toBe('Failed');
  });
});

describe('remediate', () => {
  it('should kill a process by pid', async () => {
    const { child, exited } = await start();
    expect((await h.run('remediate', ['process', String(child.pid)])).status).toBe('Completed');
    expect(await exited).toBe('SIGKILL');
  });

  it('should kill what runs a file and quarantine the file', async () => {
    await mkdir(join(dir, 'bin'));
    const evil = join(dir, 'bin/evil');
    await copyFile('/usr/bin/sleep', evil);
    // A copy with its own content, so no other process on the host shares its SHA-1.
    await writeFile(evil, Buffer.concat([await readFile(evil), Buffer.from(`cordon-test-${Date.now()}-${Math.random()}`)]), { mode: 0o755 });
    const { exited } = await start(evil);
    const done = await h.run('remediate', ['file', 'evil'], { cwd: join(dir, 'bin'), actionId: 'a' });
    expect(done).toMatchObject({ status: 'Completed', exitCode: 0 });
    expect(await exited).toBe('SIGKILL');
    await expect(access(evil)).rejects.toThrow();
    expect(h.text(1)).toContain(`Quarantined ${evil}`);
  });

  it('should refuse a file that does not exist', async () => {
    expect((await h.run('remediate', ['file', join(dir, 'none')])).errors).toEqual([`${join(dir, 'none')} does not exist`]);
  });
});

describe('scan', () => {
  it('should detect the EICAR test file in a custom scan of a path', async () => {
    const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
    await mkdir(join(dir, 'scan'));
    await writeFile(join(dir, 'scan/eicar.com'), eicar);
    await writeFile(join(dir, 'scan/clean.txt'), 'clean');
    const done = await h.run('scan', [join(dir, 'scan')], { actionId: 'a' });
    expect(done.status).toBe('Completed');
    expect(done.table?.rows.map((r) => [r[0], r[1]])).toEqual([[join(dir, 'scan/eicar.com'), 'Eicar-Test-Signature.UNOFFICIAL']]);
    expect(h.text(1)).toContain('1 detections');
  });

  it('should refuse a path that does not exist', async () => {
    expect((await h.run('scan', [join(dir, 'none')])).errors).toEqual([`${join(dir, 'none')} does not exist`]);
  });
});
