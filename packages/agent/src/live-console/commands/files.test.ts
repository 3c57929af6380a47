import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinuxPlatform } from '../../platform/index.js';
import { consoleHarness, fakeServerFiles, type ConsoleHarness, type Upload } from '../test-harness.js';

let dir: string;
let h: ConsoleHarness;
let library: Record<string, string>;
let uploads: Upload[];

const sha = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cordon-live-'));
  library = {};
  uploads = [];
  await mkdir(join(dir, 'cwd'));
  h = consoleHarness({ platform: createLinuxPlatform({ toolsDir: join(dir, 'tools') }), stateDir: join(dir, 'state'), files: fakeServerFiles(library, uploads) });
});
afterEach(async () => {
  h.manager.stopAll();
  await h.manager.idle();
  await rm(dir, { recursive: true, force: true });
  expect(h.invalid).toEqual([]);
});

describe('getfile', () => {
  it('should upload the file as command 0 of the action and report resultFile', async () => {
    await writeFile(join(dir, 'cwd/evidence.bin'), 'evidence');
    const done = await h.run('getfile', ['evidence.bin'], { cwd: join(dir, 'cwd'), actionId: 'act-1' });
    expect(done).toMatchObject({ status: 'Completed', resultFile: { name: 'evidence.bin', size: 8, sha256: sha('evidence') } });
    expect(uploads).toEqual([{ options: { name: 'evidence.bin', contentType: 'application/octet-stream', commandIndex: 0, digest: { size: 8, sha256: sha('evidence') } }, data: Buffer.from('evidence') }]);
  });

  it('should refuse a directory and a missing file, uploading nothing', async () => {
    expect((await h.run('getfile', [dir], { actionId: 'act-1' })).errors).toEqual([`${dir} is not a regular file`]);
    expect((await h.run('getfile', [join(dir, 'none')], { actionId: 'act-1' })).errors).toEqual([`${join(dir, 'none')} does not exist`]);
    expect(uploads).toEqual([]);
  });

  it('should refuse without an action to upload to', async () => {
    await writeFile(join(dir, 'f'), 'x');
    expect((await h.run('getfile', [join(dir, 'f')])).errors).toEqual(['getfile needs the action recording it (the server sent none)']);
  });
});

describe('putfile', () => {
  it('should copy the library file into the session directory', async () => {
    library['tool.sh'] = 'echo hi\n';
    const done = await h.run('putfile', ['tool.sh'], { cwd: join(dir, 'cwd'), actionId: 'a' });
    expect(done.status).toBe('Completed');
    expect(await readFile(join(dir, 'cwd/tool.sh'), 'utf8')).toBe('echo hi\n');
  });

  it('should refuse an existing file unless -overwrite, and leave it with -keep', async () => {
    library['tool.sh'] = 'new\n';
    await writeFile(join(dir, 'cwd/tool.sh'), 'old\n');
    const cwd = join(dir, 'cwd');
    expect((await h.run('putfile', ['tool.sh'], { cwd })).errors).toEqual([`${cwd}/tool.sh already exists (use -overwrite to replace it, -keep to leave it)`]);
    expect((await h.run('putfile', ['tool.sh', '-keep'], { cwd })).status).toBe('Completed');
    expect(await readFile(join(cwd, 'tool.sh'), 'utf8')).toBe('old\n');
    expect((await h.run('putfile', ['tool.sh', '-overwrite'], { cwd })).status).toBe('Completed');
    expect(await readFile(join(cwd, 'tool.sh'), 'utf8')).toBe('new\n');
  });

  it('should fail clearly for a file not in the library, leaving nothing', async () => {
    const done = await h.run('putfile', ['absent.sh'], { cwd: join(dir, 'cwd') });
    expect(done.errors).toEqual(['could not download library file absent.sh: absent.sh is not in the library']);
    expect(await readdir(join(dir, 'cwd'))).toEqual([]);
  });

  it('should not follow a symlink planted where a download would be staged', async () => {
    library['tool.sh'] = 'payload\n';
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious\n');
    await symlink(victim, join(dir, 'cwd/tool.sh.part'));
    expect((await h.run('putfile', ['tool.sh'], { cwd: join(dir, 'cwd') })).status).toBe('Completed');
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect(await readFile(join(dir, 'cwd/tool.sh'), 'utf8')).toBe('payload\n');
    expect((await readdir(join(dir, 'cwd'))).sort()).toEqual(['tool.sh', 'tool.sh.part']);
  });
});

describe('run', () => {
  it('should stream the output as the script produces it, with its parameters and exit code', async () => {
    const marker = join(dir, 'go');
    library['wait.sh'] = `#!/bin/sh\necho "ready $1 $2"\nwhile [ ! -e ${marker} ]; do sleep 0.05; done\necho done >&2\npwd\nexit 3\n`;
    const id = h.send('run', ['wait.sh', '-parameters', 'a "b c"'], { cwd: join(dir, 'cwd'), actionId: 'a' });
    // The script is still waiting: what it printed so far has reached the server already.
    await h.waitOutput(id, 'ready a b c\n');
    expect(h.dones).toEqual([]);
    await writeFile(marker, '');
    const done = await h.waitDone(id);
    expect(done).toMatchObject({ status: 'Completed', exitCode: 3, errors: ['wait.sh exited with code 3'] });
    expect(h.text(id)).toBe(`ready a b c\ndone\n${join(dir, 'cwd')}\n`);
  });

  it('should fail for a script not in the library', async () => {
    expect((await h.run('run', ['nope.sh'])).errors).toEqual(['could not download library file nope.sh: nope.sh is not in the library']);
  });
});

describe('collect', () => {
  it('should build the investigation package and upload it as command 0 of the action', async () => {
    const done = await h.run('collect', [], { actionId: 'act-9' });
    expect(done.status).toBe('Completed');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.options).toMatchObject({ name: 'InvestigationPackage.zip', commandIndex: 0, contentType: 'application/octet-stream' });
    expect(uploads[0]!.data.subarray(0, 2).toString()).toBe('PK');
    expect(done.resultFile).toEqual({ name: 'InvestigationPackage.zip', size: uploads[0]!.data.length, sha256: sha(uploads[0]!.data) });
  }, 120_000);
});
