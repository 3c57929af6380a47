import { DEFAULT_AGENT_SETTINGS } from '@cordon/protocol';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform } from '../../platform/fake-platform.js';
import { spawnBounded, type SpawnBounded } from '../../platform/spawn-bounded.js';
import type { ExecutorContext, ServerFiles } from '../types.js';
import { createLiveResponseExecutor, liveResponse } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-lr-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An in-memory library and result store; `corrupt` names files whose sha256 check fails. */
function fakeFiles(library: Record<string, string>, corrupt: string[] = []) {
  const uploads: { name: string; contentType: string; data: Buffer }[] = [];
  const downloads: string[] = [];
  const files: ServerFiles = {
    async downloadLibraryFile(name, dest) {
      downloads.push(name);
      if (!(name in library)) throw new Error(`library file ${name} not found`);
      if (corrupt.includes(name)) throw new Error('sha256 mismatch');
      writeFileSync(dest, library[name]);
      return { sha256: sha(Buffer.from(library[name])), size: library[name].length };
    },
    async uploadResult(src, { name, contentType }) {
      const data = readFileSync(src);
      uploads.push({ name, contentType, data });
      return { blobId: `blob-${uploads.length}`, size: data.length, sha256: sha(data) };
    },
  };
  return { files, uploads, downloads };
}

const T0 = Date.parse('2025-03-18T21:04:01.000Z');

function context(files: ServerFiles, spawn: SpawnBounded = spawnBounded, controller = new AbortController()) {
  const progress: Record<string, unknown>[] = [];
  const ctx: ExecutorContext = {
    actionId: 'act-9',
    signal: controller.signal,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    platform: { ...createFakePlatform(), spawnBounded: spawn },
    files,
    now: () => T0, // a fixed clock: every start/end time is T0
    stateDir: dir,
    settings: DEFAULT_AGENT_SETTINGS,
    serverUrls: () => [],
    progress: (u) => progress.push(u),
  };
  return { ctx, progress };
}

const cmd = (type: string, params: Record<string, string> = {}) => ({ type, params: Object.entries(params).map(([key, value]) => ({ key, value })) });
const ISO = '2025-03-18T21:04:01.000Z';
const workDir = () => join(dir, 'live-response', 'act-9');

const SHOW_ARGS = `printf '[%s]\\n' "$@"\nstat -c '%a' "$PWD"\necho warn >&2\nexit 3\n`;

describe('liveResponse', () => {
  it('should run a put script with quoted args and upload its exact transcript (non-zero exit is Completed)', async () => {
    const { files, uploads, downloads } = fakeFiles({ 'show.sh': SHOW_ARGS });
    const { ctx, progress } = context(files);
    const params = { Commands: [cmd('PutFile', { FileName: 'show.sh' }), cmd('RunScript', { ScriptName: 'show.sh', Args: `one "two words" 'it"s' back\\ slash` })] };
    expect(liveResponse.validate(params)).toBeUndefined();
    const result = await liveResponse.run(params, ctx);

    expect(downloads).toEqual(['show.sh']); // put once, not fetched again by RunScript
    expect(uploads).toHaveLength(1);
    expect(uploads[0].name).toBe('show.sh.transcript.json');
    expect(uploads[0].contentType).toBe('application/json');
    expect(uploads[0].data.toString()).toBe('{"script_name":"show.sh","exit_code":3,"script_output":"[one]\\n[two words]\\n[it\\"s]\\n[back slash]\\n700\\n","script_errors":"warn\\n"}');
    const done = (index: number) => ({ index, commandStatus: 'Completed', startTime: ISO, endTime: ISO, errors: [] });
    expect(result).toEqual({
      status: 'Succeeded',
      output: { commands: [done(0), done(1)], results: [null, { blobId: 'blob-1', size: uploads[0].data.length, sha256: sha(uploads[0].data), exitCode: 3, outputTruncated: false }] },
    });
    expect(progress).toEqual([
      { commandIndex: 0, commandStatus: 'InProgress', startTime: ISO, endTime: null, errors: [], result: null },
      { commandIndex: 0, commandStatus: 'Completed', startTime: ISO, endTime: ISO, errors: [], result: null },
      { commandIndex: 1, commandStatus: 'InProgress', startTime: ISO, endTime: null, errors: [], result: null },
      { commandIndex: 1, commandStatus: 'Completed', startTime: ISO, endTime: ISO, errors: [], result: expect.objectContaining({ blobId: 'blob-1' }) },
    ]);
    expect(existsSync(workDir())).toBe(false);
  });

  it('should download a library script by name when it was not put, and mark truncated output', async () => {
    const { files, uploads, downloads } = fakeFiles({ 'loud.bash': 'head -c 3000 /dev/zero | tr "\\0" a\n' });
    const { ctx } = context(files);
    const result = await createLiveResponseExecutor({ maxOutputBytes: 1000 }).run({ Commands: [cmd('RunScript', { ScriptName: 'loud.bash' })] }, ctx);
    expect(downloads).toEqual(['loud.bash']);
    expect(result.status).toBe('Succeeded');
    const transcript = JSON.parse(uploads[0].data.toString());
    expect(transcript).toEqual({ script_name: 'loud.bash', exit_code: 0, script_output: `${'a'.repeat(1000)}\n[output truncated: only the first 1000 bytes were kept]`, script_errors: '' });
  });

  it('should fail a timed-out script and not run the commands after it', async () => {
    const { files, uploads } = fakeFiles({ 'slow.sh': 'sleep 1000\n' });
    const calls: { file: string; args: readonly string[]; timeoutMs?: number }[] = [];
    const spawn: SpawnBounded = async (file, args, o) => {
      calls.push({ file, args, timeoutMs: o?.timeoutMs });
      return { exitCode: null, signal: 'SIGTERM', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), stdoutTruncated: false, stderrTruncated: false, timedOut: true, aborted: false };
    };
    const { ctx } = context(files, spawn);
    const result = await liveResponse.run({ Commands: [cmd('RunScript', { ScriptName: 'slow.sh' }), cmd('GetFile', { Path: '/etc/hostname' })] }, ctx);
    expect(calls).toEqual([{ file: '/bin/sh', args: [join(workDir(), 'slow.sh')], timeoutMs: 600_000 }]);
    expect(uploads).toEqual([]);
    expect(result).toEqual({
      status: 'Failed',
      error: { code: 'LiveResponseCommandFailed', message: 'Command 1 of 2 (RunScript) failed: slow.sh timed out after 600 s and was killed; 1 later command(s) not run' },
      output: {
        commands: [
          { index: 0, commandStatus: 'Failed', startTime: ISO, endTime: ISO, errors: ['slow.sh timed out after 600 s and was killed'] },
          { index: 1, commandStatus: 'Created', startTime: null, endTime: null, errors: [] },
        ],
        results: [null, null],
      },
    });
  });

  it('should upload a file with GetFile and fail on a missing one, leaving the rest not run', async () => {
    const target = join(dir, 'evidence.log');
    writeFileSync(target, 'line 1\n');
    const { files, uploads } = fakeFiles({});
    const { ctx, progress } = context(files);
    const params = { Commands: [cmd('GetFile', { Path: target }), cmd('GetFile', { Path: join(dir, 'missing.log') }), cmd('GetFile', { Path: target })] };
    const result = await liveResponse.run(params, ctx);
    expect(uploads.map((u) => [u.name, u.contentType, u.data.toString()])).toEqual([['evidence.log', 'application/octet-stream', 'line 1\n']]);
    expect(result).toMatchObject({
      status: 'Failed',
      error: { message: `Command 2 of 3 (GetFile) failed: ${join(dir, 'missing.log')} does not exist; 1 later command(s) not run` },
      output: {
        commands: [{ commandStatus: 'Completed' }, { commandStatus: 'Failed', errors: [`${join(dir, 'missing.log')} does not exist`] }, { commandStatus: 'Created', startTime: null }],
        results: [{ blobId: 'blob-1', size: 7, name: 'evidence.log', path: target }, null, null],
      },
    });
    expect(progress.map((p) => [p.commandIndex, p.commandStatus])).toEqual([[0, 'InProgress'], [0, 'Completed'], [1, 'InProgress'], [1, 'Failed']]);
  });

  it('should GetFile a procfs file (st_size 0) as one snapshot, sent with its digest and command index, then removed', async () => {
    const sent: { data: Buffer; commandIndex: number | undefined; digest: { size: number; sha256: string } | undefined; src: string }[] = [];
    const files: ServerFiles = {
      downloadLibraryFile: async () => ({ sha256: '', size: 0 }),
      async uploadResult(src, { commandIndex, digest }) {
        sent.push({ data: readFileSync(src), commandIndex, digest, src });
        return { blobId: 'blob-1', size: digest!.size, sha256: digest!.sha256 };
      },
    };
    const result = await liveResponse.run({ Commands: [cmd('GetFile', { Path: '/proc/self/status' })] }, context(files).ctx);
    expect(result).toMatchObject({ status: 'Succeeded', output: { results: [{ name: 'status', path: '/proc/self/status' }] } });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data.toString()).toMatch(/^Name:\t/);
    expect(sent[0]!.commandIndex).toBe(0);
    expect(sent[0]!.digest).toEqual({ size: sent[0]!.data.length, sha256: sha(sent[0]!.data) });
    expect(existsSync(sent[0]!.src)).toBe(false);
  });

  it('should refuse GetFile of a procfs file over the cap although its st_size is 0', async () => {
    const { files, uploads } = fakeFiles({});
    const result = await createLiveResponseExecutor({ maxGetFileBytes: 16 }).run({ Commands: [cmd('GetFile', { Path: '/proc/self/status' })] }, context(files).ctx);
    expect(result).toMatchObject({ status: 'Failed', error: { message: 'Command 1 of 1 (GetFile) failed: /proc/self/status holds more than 16 bytes, over the GetFile limit' } });
    expect(uploads).toEqual([]);
  });

  it('should refuse GetFile of a directory or a file over the cap', async () => {
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'big'), 'x'.repeat(11));
    const { files } = fakeFiles({});
    const exec = createLiveResponseExecutor({ maxGetFileBytes: 10 });
    const r1 = await exec.run({ Commands: [cmd('GetFile', { Path: join(dir, 'd') })] }, context(files).ctx);
    const r2 = await exec.run({ Commands: [cmd('GetFile', { Path: join(dir, 'big') })] }, context(files).ctx);
    expect(r1).toMatchObject({ status: 'Failed', error: { message: `Command 1 of 1 (GetFile) failed: ${join(dir, 'd')} is not a regular file` } });
    expect(r2).toMatchObject({ status: 'Failed', error: { message: `Command 1 of 1 (GetFile) failed: ${join(dir, 'big')} is 11 bytes, over the 10-byte GetFile limit` } });
  });

  it('should fail PutFile when the library download fails its sha256 check and run nothing after it', async () => {
    const { files, uploads } = fakeFiles({ 'tool.sh': 'echo hi\n' }, ['tool.sh']);
    const { ctx } = context(files);
    const result = await liveResponse.run({ Commands: [cmd('PutFile', { FileName: 'tool.sh' }), cmd('RunScript', { ScriptName: 'tool.sh' })] }, ctx);
    expect(result).toMatchObject({
      status: 'Failed',
      error: { message: 'Command 1 of 2 (PutFile) failed: could not download library file tool.sh: sha256 mismatch; 1 later command(s) not run' },
      output: { commands: [{ commandStatus: 'Failed' }, { commandStatus: 'Created' }] },
    });
    expect(uploads).toEqual([]);
    expect(existsSync(workDir())).toBe(false);
  });

  it('should fail clearly when the interpreter is not installed', async () => {
    const { files } = fakeFiles({ 'x.ps1': 'Write-Output 1' });
    const spawn: SpawnBounded = async () => {
      throw Object.assign(new Error('spawn pwsh ENOENT'), { code: 'ENOENT' });
    };
    const result = await liveResponse.run({ Commands: [cmd('RunScript', { ScriptName: 'x.ps1' })] }, context(files, spawn).ctx);
    expect(result).toMatchObject({ status: 'Failed', error: { message: 'Command 1 of 1 (RunScript) failed: pwsh is not installed on this device: cannot run x.ps1' } });
  });

  it('should kill the script and stop when the action is cancelled', async () => {
    const { files } = fakeFiles({ 'wait.sh': 'sleep 1000\n' });
    const controller = new AbortController();
    const { ctx, progress } = context(files, spawnBounded, controller);
    // Cancel as the RunScript starts: the spawned group is killed at once.
    ctx.progress = (u) => {
      progress.push(u);
      if (u.commandStatus === 'InProgress') controller.abort(new Error('cancelled'));
    };
    await expect(liveResponse.run({ Commands: [cmd('RunScript', { ScriptName: 'wait.sh' })] }, ctx)).rejects.toThrow('cancelled');
    expect(progress.at(-1)).toMatchObject({ commandStatus: 'Failed', errors: ['the action was cancelled or timed out'] });
    expect(existsSync(workDir())).toBe(false);
  });

  it('should refuse invalid parameters without touching anything', async () => {
    const { files } = fakeFiles({});
    const result = await liveResponse.run({ Commands: [cmd('GetFile', { Path: '/x' }), cmd('PutFile', { FileName: 'a' })] }, context(files).ctx);
    expect(result).toEqual({ status: 'Failed', error: { code: 'InvalidParameters', message: 'Commands[1]: commands must be ordered PutFile, then RunScript, then GetFile' } });
    expect(existsSync(join(dir, 'live-response'))).toBe(false);
  });
});
