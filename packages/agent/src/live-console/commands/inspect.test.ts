import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinuxPlatform } from '../../platform/index.js';
import { consoleHarness, type ConsoleHarness } from '../test-harness.js';
import { globToRegExp } from './findfile.js';
import { parseUnixSockets } from './connections.js';
import { persistenceRows } from './persistence.js';

let dir: string;
let h: ConsoleHarness;
const children: ChildProcess[] = [];
let server: Server | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cordon-live-'));
  h = consoleHarness({ platform: createLinuxPlatform({ toolsDir: join(dir, 'tools') }), stateDir: join(dir, 'state') });
});
afterEach(async () => {
  h.manager.stopAll();
  await h.manager.idle();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
  expect(h.invalid).toEqual([]);
});

const rowsOf = (done: { table?: { columns: string[]; rows: unknown[][] } }) => done.table!.rows.map((r) => Object.fromEntries(done.table!.columns.map((c, i) => [c, r[i]])));

describe('processes', () => {
  it('should list a process the test started with its command line, executable and sha256', async () => {
    const child = spawn('sleep', ['321'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((r) => child.once('spawn', r));
    const done = await h.run('processes', ['-pid', String(child.pid)]);
    const exe = await realpath(`/proc/${child.pid}/exe`);
    expect(rowsOf(done)).toEqual([
      { pid: child.pid, ppid: process.pid, user: 'root', startTime: expect.stringMatching(/^\d{4}-/), commandLine: 'sleep 321', executable: exe, sha256: createHash('sha256').update(await readFile(exe)).digest('hex') },
    ]);
    expect(h.text(1)).toContain('sleep 321');
  });

  it('should list every process without -pid, this one among them', async () => {
    const done = await h.run('processes');
    expect(rowsOf(done).some((r) => r.pid === process.pid)).toBe(true);
  });

  it('should fail for a pid that does not exist', async () => {
    expect((await h.run('processes', ['-pid', '999999999'])).errors).toEqual(['no process with pid 999999999']);
  });
});

describe('connections', () => {
  it('should show a listening TCP socket with its owning process', async () => {
    server = createServer();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const done = await h.run('connections');
    expect(rowsOf(done)).toContainEqual({ proto: 'tcp', local: `127.0.0.1:${port}`, remote: '0.0.0.0:0', state: 'LISTEN', pid: process.pid, process: expect.any(String) });
    expect(h.text(1)).toContain(`127.0.0.1:${port}`);
  });

  it('should read unix sockets, listening ones as LISTEN', () => {
    const text = 'Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x.sock\n0000000000000000: 00000003 00000000 00000000 0001 03 777\n';
    expect(parseUnixSockets(text)).toEqual([{ path: '/run/x.sock', state: 'LISTEN', inode: '12345' }, { path: '', state: 'CONNECTED', inode: '777' }]);
  });
});

describe('persistence', () => {
  it('should run every autorun source of the investigation package and answer a table', async () => {
    const done = await h.run('persistence');
    expect(done.status).toBe('Completed');
    expect(done.table?.columns).toEqual(['category', 'location', 'content']);
    for (const name of ['Systemd enabled units', 'Cron', 'Shell startup files', 'ld.so.preload']) expect(h.text(1)).toContain(`===== ${name} =====`);
  });

  it('should make a row per file of a dump and per line of a listing', () => {
    expect(persistenceRows('Cron', '==> /etc/crontab <==\n* * * * * root x\n\n==> /etc/cron.d/a <==\nb\n')).toEqual([['Cron', '/etc/crontab', '* * * * * root x'], ['Cron', '/etc/cron.d/a', 'b']]);
    expect(persistenceRows('Units', '/etc/systemd/system/multi-user.target.wants/ssh.service -> /lib/systemd/system/ssh.service\n')).toEqual([['Units', '/etc/systemd/system/multi-user.target.wants/ssh.service', '/lib/systemd/system/ssh.service']]);
    expect(persistenceRows('Cron', 'No cron found (x).\n')).toEqual([]);
  });
});

describe('findfile', () => {
  it('should find names matching a glob under the roots, not following symlinks', async () => {
    await mkdir(join(dir, 'a/b'), { recursive: true });
    await writeFile(join(dir, 'a/evil.sh'), 'x');
    await writeFile(join(dir, 'a/b/evil.sh'), 'xy');
    await writeFile(join(dir, 'a/b/good.txt'), '');
    await symlink(dir, join(dir, 'a/b/loop'));
    const done = await h.run('findfile', ['*.sh', '-root', join(dir, 'a')]);
    expect(rowsOf(done).map((r) => [r.path, r.type, r.size]).sort()).toEqual([[join(dir, 'a/b/evil.sh'), 'file', 2], [join(dir, 'a/evil.sh'), 'file', 1]]);
    expect(h.text(1)).toContain('2 found');
  });

  it('should resolve a relative root against the session directory and match exact names', async () => {
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x/target'), '');
    const done = await h.run('findfile', ['target', '-root', 'x'], { cwd: dir });
    expect(rowsOf(done).map((r) => r.path)).toEqual([join(dir, 'x/target')]);
  });

  it('should turn globs into anchored expressions', () => {
    expect(globToRegExp('*.log').test('a.log')).toBe(true);
    expect(globToRegExp('*.log').test('a.log.1')).toBe(false);
    expect(globToRegExp('f?le[0-9]').test('file7')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('[!a]x').test('ax')).toBe(false);
  });
});
