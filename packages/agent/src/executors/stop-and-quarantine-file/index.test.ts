import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { createStopAndQuarantineFileExecutor } from './index.js';

const CONTENT = 'malicious payload';

describe('stopAndQuarantineFileExecutor', () => {
  let root: string;
  let state: string;
  let p: FakePlatform;
  let sha1: string;
  const exec = () => createStopAndQuarantineFileExecutor({ quick: { root }, killWaitMs: 0 });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cordon-sqf-'));
    state = join(root, 'state');
    await mkdir(join(root, 'tmp'), { recursive: true });
    await mkdir(join(root, 'home/ann/Downloads'), { recursive: true });
    await mkdir(state);
    await writeFile(join(root, 'tmp/dropper'), CONTENT);
    await chmod(join(root, 'tmp/dropper'), 0o755);
    await utimes(join(root, 'tmp/dropper'), 1_600_000_000, 1_600_000_100);
    await writeFile(join(root, 'home/ann/Downloads/copy'), CONTENT);
    await writeFile(join(root, 'home/ann/Downloads/other'), 'harmless');
    p = createFakePlatform();
    sha1 = createHash('sha1').update(CONTENT).digest('hex'); // not by reading the file: that would move its atime
    p.state.processes = [
      { pid: 300, exe: join(root, 'tmp/dropper'), exeFile: join(root, 'tmp/dropper'), alive: true },
      { pid: 301, exe: '/usr/bin/bash', exeFile: join(root, 'home/ann/Downloads/other'), alive: true },
    ];
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('should refuse a malformed Sha1', () => {
    expect(exec().validate({ Sha1: 'xyz' })).toBe('Sha1 must be 40 hexadecimal characters');
    expect(exec().validate({ Sha1: `${'a'.repeat(40)}/../` })).toBe('Sha1 must be 40 hexadecimal characters');
    expect(exec().validate({ Sha1: 'A'.repeat(40) })).toBeUndefined();
  });

  it('should kill the matching process and move every copy into quarantine, encoded, with its metadata', async () => {
    const r = await exec().run({ Sha1: sha1.toUpperCase() }, makeTestContext(p, { stateDir: state }));
    const q = join(state, 'quarantine', sha1);
    expect(r).toEqual({
      status: 'Succeeded',
      output: {
        sha1, found: true,
        killedProcesses: [{ pid: 300, exe: join(root, 'tmp/dropper') }],
        survivingProcesses: [],
        quarantined: [{ path: join(root, 'tmp/dropper'), storedAs: `${q}/0.bin` }, { path: join(root, 'home/ann/Downloads/copy'), storedAs: `${q}/1.bin` }],
        failures: [],
        message: 'Stopped 1 process(es), quarantined 2 file(s)',
      },
    });
    expect(p.calls.kills).toEqual([{ pid: 300, signal: 'SIGKILL' }]);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    expect(await readdir(join(root, 'home/ann/Downloads'))).toEqual(['other']);
    const bin = await readFile(`${q}/0.bin`);
    expect(bin.toString()).not.toBe(CONTENT);
    expect((await stat(`${q}/0.bin`)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(`${q}/0.json`, 'utf8'))).toEqual({
      sha1, path: join(root, 'tmp/dropper'), uid: process.getuid!(), gid: process.getgid!(), mode: 0o100755,
      atimeMs: 1_600_000_000_000, mtimeMs: 1_600_000_100_000, size: CONTENT.length, quarantinedAt: 1_700_000_000_000,
    });
  });

  it('should succeed and say so when nothing matches', async () => {
    const r = await exec().run({ Sha1: 'f'.repeat(40) }, makeTestContext(p, { stateDir: state }));
    expect(r).toMatchObject({ status: 'Succeeded', output: { found: false, message: 'No running process or file with this SHA-1 was found' } });
    expect(p.calls.kills).toEqual([]);
  });

  it('should fail when a process survives SIGKILL, still quarantining the files', async () => {
    p.state.unkillable.add(300);
    const r = await exec().run({ Sha1: sha1 }, makeTestContext(p, { stateDir: state }));
    expect(r).toMatchObject({ status: 'Failed', error: { code: 'QuarantineIncomplete', message: '1 process(es) survived, 0 file(s) not quarantined' } });
  });

  it('should refuse configured search paths it may not read before touching anything', async () => {
    const r = await exec().run({ Sha1: sha1 }, makeTestContext(p, { stateDir: state, settings: { quarantineSearchPaths: ['/proc/self'] } }));
    expect(r).toEqual({ status: 'Failed', error: { code: 'QuarantineRefused', message: 'Refused path "/proc/self": pseudo filesystems are never read' } });
    expect(p.calls.kills).toEqual([]);
  });

  it('should never kill the agent itself', async () => {
    p.state.processes.push({ pid: 1000, exe: join(root, 'tmp/dropper'), exeFile: join(root, 'tmp/dropper'), alive: true });
    await exec().run({ Sha1: sha1 }, makeTestContext(p, { stateDir: state }));
    expect(p.calls.kills).toEqual([{ pid: 300, signal: 'SIGKILL' }]);
  });
});
