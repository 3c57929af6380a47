import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinuxPlatform } from '../platform/index.js';
import { LiveConsoleManager } from './session-manager.js';
import { consoleHarness, otherKey, sign, MACHINE, SESSION, type ConsoleHarness } from './test-harness.js';

let dir: string;
let h: ConsoleHarness;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cordon-live-'));
  h = consoleHarness({ platform: createLinuxPlatform({ toolsDir: join(dir, 'tools') }), stateDir: join(dir, 'state') });
});
afterEach(async () => {
  h.manager.stopAll();
  await h.manager.idle();
  await rm(dir, { recursive: true, force: true });
  expect(h.invalid).toEqual([]);
});

describe(LiveConsoleManager.name, () => {
  describe('verification', () => {
    it('should refuse a command signed with another key, with the reason, running nothing', async () => {
      const fields = { sessionId: SESSION, commandId: 1, machineId: MACHINE, command: 'cd' as const, argv: [dir], cwd: '/', actionId: null, timeoutMs: 60_000, expiresAt: new Date(Date.now() + 60_000).toISOString() };
      h.manager.onCommand(sign(fields, otherKey.privateKey));
      expect(await h.waitDone(1)).toEqual({ sessionId: SESSION, commandId: 1, status: 'Failed', exitCode: null, errors: ['Refused by the device: command signature does not verify'], cwd: '/', outputChunks: 0 });
    });

    it('should refuse a command whose argv was changed after signing', async () => {
      const fields = { sessionId: SESSION, commandId: 1, machineId: MACHINE, command: 'dir' as const, argv: ['/etc'], cwd: '/', actionId: null, timeoutMs: 60_000, expiresAt: new Date(Date.now() + 60_000).toISOString() };
      h.manager.onCommand({ ...sign(fields), argv: ['/root'] });
      expect((await h.waitDone(1)).errors).toEqual(['Refused by the device: command signature does not verify']);
      expect(h.outputs).toEqual([]);
    });

    it('should refuse a command for another machine', async () => {
      expect((await h.run('cd', [dir], { machineId: 'c'.repeat(40) })).errors).toEqual([`Refused by the device: command is for machine ${'c'.repeat(40)}`]);
    });

    it('should refuse an expired command', async () => {
      const expiresAt = new Date(Date.now() - 1000).toISOString();
      expect((await h.run('cd', [dir], { expiresAt })).errors).toEqual([`Refused by the device: command expired at ${expiresAt}`]);
    });

    it('should refuse an unknown key id', async () => {
      expect((await h.run('cd', [dir], { keyId: 'k9' })).errors).toEqual(['Refused by the device: command signed with unknown key k9']);
    });

    it('should not run a replayed command id twice', async () => {
      const first = await h.run('cd', [dir], { commandId: 5 });
      expect(first.status).toBe('Completed');
      h.send('cd', ['/'], { commandId: 5 });
      await h.run('cd', ['/'], { commandId: 6 });
      expect(h.dones.map((d) => d.commandId)).toEqual([5, 6]);
    });
  });

  describe('cd', () => {
    it('should change to a directory resolved against the session directory and report it', async () => {
      await mkdir(join(dir, 'sub'));
      expect(await h.run('cd', ['sub'], { cwd: dir })).toEqual({ sessionId: SESSION, commandId: 1, status: 'Completed', exitCode: 0, errors: [], cwd: join(dir, 'sub'), outputChunks: 1 });
      expect(h.text(1)).toBe(`${join(dir, 'sub')}\n`);
    });

    it('should refuse a file and a missing path, keeping the directory', async () => {
      await writeFile(join(dir, 'f'), 'x');
      expect(await h.run('cd', ['f'], { cwd: dir })).toMatchObject({ status: 'Failed', exitCode: 1, errors: [`${join(dir, 'f')} is not a directory`], cwd: dir });
      expect(await h.run('cd', ['nope'], { cwd: dir })).toMatchObject({ status: 'Failed', errors: [`${join(dir, 'nope')} does not exist`], cwd: dir });
    });

    it('should answer the opening probe cd / with cwd /', async () => {
      expect(await h.run('cd', ['/'], { commandId: 0 })).toMatchObject({ commandId: 0, status: 'Completed', cwd: '/' });
    });
  });

  describe('dir', () => {
    it('should list entries with type, size, mode, owner and modified, as text and a table', async () => {
      await writeFile(join(dir, 'a.txt'), 'hello');
      await mkdir(join(dir, 'sub'));
      await symlink('a.txt', join(dir, 'link'));
      const done = await h.run('dir', [], { cwd: dir });
      expect(done.status).toBe('Completed');
      expect(done.table?.columns).toEqual(['name', 'type', 'size', 'mode', 'owner', 'modified']);
      const rows = [...done.table!.rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(rows.map((r) => r.slice(0, 2))).toEqual([['a.txt', 'file'], ['link', 'symlink'], ['sub', 'dir']]);
      expect(rows[0]![2]).toBe(5);
      expect(rows[0]![3]).toMatch(/^-rw/);
      expect(rows[0]![4]).toBe('root');
      expect(h.text(1)).toContain(`Directory of ${dir}`);
      expect(h.text(1)).toContain('sub/\n');
      expect(h.text(1)).toContain('3 entries\n');
    });

    it('should stream a directory of 10,000 entries in chunks within the chunk limit, seq gap-free', async () => {
      const big = join(dir, 'big');
      await mkdir(big);
      for (let i = 0; i < 10_000; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => writeFile(join(big, `file-${String(i + j).padStart(5, '0')}.log`), '')));
      const done = await h.run('dir', [big]);
      expect(done.table?.rows).toHaveLength(10_000);
      const chunks = h.outputs.filter((o) => o.commandId === 1);
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      expect(done.outputChunks).toBe(chunks.length);
      expect(chunks.length).toBeGreaterThan(1);
      for (const c of chunks) expect(Buffer.byteLength(c.text)).toBeLessThanOrEqual(64 * 1024);
      expect(h.text(1).split('\n').filter((l) => l.endsWith('.log'))).toHaveLength(10_000);
    });

    it('should fail on a path that is not a directory', async () => {
      await writeFile(join(dir, 'f'), '');
      expect((await h.run('dir', [join(dir, 'f')])).errors).toEqual([`${join(dir, 'f')} is not a directory`]);
    });
  });

  describe('fileinfo', () => {
    it('should report size, owner, mode, times and the three digests', async () => {
      const content = 'live response\n'.repeat(1000);
      await writeFile(join(dir, 'f.txt'), content, { mode: 0o640 });
      const done = await h.run('fileinfo', ['f.txt'], { cwd: dir });
      const digest = (a: string) => createHash(a).update(content).digest('hex');
      const row = Object.fromEntries(done.table!.columns.map((c, i) => [c, done.table!.rows[0]![i]]));
      expect(row).toMatchObject({ path: join(dir, 'f.txt'), size: content.length, owner: 'root', group: 'root', mode: '-rw-r----- (0640)', md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256') });
      expect(row.modified).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(h.text(1)).toContain(`sha256: ${digest('sha256')}`);
    });

    it('should refuse a directory', async () => {
      expect((await h.run('fileinfo', [dir])).errors).toEqual([`${dir} is not a regular file`]);
    });
  });
});
