import { DEFAULT_AGENT_SETTINGS } from '@cordon/protocol';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExec } from '../../platform/exec.js';
import { createFakePlatform } from '../../platform/fake-platform.js';
import { createReadFs } from '../../platform/read-fs.js';
import { createZipWriter } from '../../platform/zip.js';
import type { ExecutorContext, ServerFiles } from '../types.js';
import { NotAvailableError, type Collector } from './collector.js';
import { COLLECTORS } from './collectors/index.js';
import { buildInvestigationPackage, collectInvestigationPackage } from './index.js';
import { SUMMARY_FILE, type StartTimer } from './run-collectors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-cip-exec-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function unzipList(zipPath: string): string[] {
  return execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
function unzipFile(zipPath: string, name: string): string {
  return execFileSync('unzip', ['-p', zipPath, name], { encoding: 'utf8' });
}

/** Uploads by copying into memory, as the transport would stream them. */
function fakeFiles(): ServerFiles & { uploads: { name: string; contentType: string; data: Buffer }[] } {
  const uploads: { name: string; contentType: string; data: Buffer }[] = [];
  return {
    uploads,
    async downloadLibraryFile() {
      throw new Error('not used');
    },
    async uploadResult(src, { name, contentType }) {
      const data = readFileSync(src);
      uploads.push({ name, contentType, data });
      return { blobId: `blob-${uploads.length}`, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    },
  };
}

const fixed = (name: string, folder: string, collect: Collector['collect']): Collector => ({ name, folder, fileName: `${name}.txt`, command: `cmd ${name}`, collect });

describe('buildInvestigationPackage', () => {
  it('should record failing, timed-out, oversized and unavailable collectors without failing the package', async () => {
    const timers: (() => void)[] = [];
    const startTimer: StartTimer = (_ms, fire) => (timers.push(fire), () => {});
    const collectors = [
      fixed('ok', 'A', async () => ({ data: 'fine\n' })),
      fixed('boom', 'A', async () => {
        throw new Error('kaput');
      }),
      fixed('hang', 'B', (ctx) => {
        queueMicrotask(() => timers[2]()); // its timeout fires; no wall clock involved
        return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted late'))));
      }),
      fixed('big', 'C', async () => ({ data: 'x'.repeat(20) })),
      fixed('none', 'D', async () => {
        throw new NotAvailableError('no such thing');
      }),
    ];
    const zipPath = join(dir, 'p.zip');
    const built = await buildInvestigationPackage({
      fs: createReadFs(dir),
      exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
      zip: createZipWriter(),
      destPath: zipPath,
      signal: new AbortController().signal,
      now: () => Date.parse('2025-01-01T00:00:00Z'), // a fixed clock: every DurationMs is 0
      collectors,
      maxBytes: 10,
      startTimer,
    });
    expect(built.rows.map((r) => [r.dataPoint, r.status, r.error, r.bytes])).toEqual([
      ['ok', 'Succeeded', '', 5],
      ['boom', 'Failed', 'kaput', 0],
      ['hang', 'TimedOut', 'timed out after 3000 ms', 0],
      ['big', 'Truncated', 'output cut at 10 bytes', 10],
      ['none', 'NotAvailable', 'no such thing', 10],
    ]);
    expect(unzipList(zipPath)).toEqual(['A/', 'B/', 'C/', 'D/', 'A/ok.txt', 'C/big.txt', 'D/none.txt', SUMMARY_FILE]);
    expect(unzipFile(zipPath, 'C/big.txt')).toBe('x'.repeat(10));
    expect(unzipFile(zipPath, SUMMARY_FILE).split('\r\n')).toEqual([
      'DataPoint,Folder,Command,Status,Error,Bytes,DurationMs',
      'ok,A,cmd ok,Succeeded,,5,0',
      'boom,A,cmd boom,Failed,kaput,0,0',
      'hang,B,cmd hang,TimedOut,timed out after 3000 ms,0,0',
      'big,C,cmd big,Truncated,output cut at 10 bytes,10,0',
      'none,D,cmd none,NotAvailable,no such thing,10,0',
      '',
    ]);
  });

  it('should stop with the abort reason when the action is cancelled', async () => {
    const controller = new AbortController();
    const collectors = [fixed('slow', 'A', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))))];
    const built = buildInvestigationPackage({
      fs: createReadFs(dir),
      exec: createExec(),
      zip: createZipWriter(),
      destPath: join(dir, 'p.zip'),
      signal: controller.signal,
      now: () => 0,
      collectors,
      startTimer: () => () => {},
    });
    controller.abort(new Error('cancelled by user'));
    await expect(built).rejects.toThrow('cancelled by user');
    expect(existsSync(join(dir, 'p.zip'))).toBe(false);
  });
});

describe('collectInvestigationPackage', () => {
  function context(files: ServerFiles): ExecutorContext {
    const platform = createFakePlatform();
    return {
      actionId: 'act-1',
      signal: new AbortController().signal,
      log: { info: () => {}, warn: () => {}, error: () => {} },
      platform: { ...platform, exec: createExec(), readFs: createReadFs('/'), zip: createZipWriter() },
      files,
      now: Date.now,
      stateDir: dir,
      settings: DEFAULT_AGENT_SETTINGS,
      serverUrls: () => [],
      progress: () => {},
    };
  }

  it('should build the real package on this host, upload it and delete the local zip', async () => {
    const files = fakeFiles();
    const result = await collectInvestigationPackage.run({}, context(files));
    expect(result).toEqual({
      status: 'Succeeded',
      output: { blobId: 'blob-1', size: files.uploads[0].data.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), collectors: COLLECTORS.length, failed: expect.any(Number) },
    });
    expect(files.uploads[0]).toMatchObject({ name: 'InvestigationPackage.zip', contentType: 'application/zip' });
    expect(existsSync(join(dir, 'tmp', 'InvestigationPackage-act-1.zip'))).toBe(false);

    const zipPath = join(dir, 'uploaded.zip');
    writeFileSync(zipPath, files.uploads[0].data);
    const names = unzipList(zipPath);
    for (const folder of new Set(COLLECTORS.map((c) => c.folder))) expect(names).toContain(`${folder}/`);
    const summary = unzipFile(zipPath, SUMMARY_FILE).split('\r\n').filter(Boolean);
    expect(summary).toHaveLength(COLLECTORS.length + 1);
    for (const c of COLLECTORS) expect(summary.some((line) => line.startsWith(`${c.name},${c.folder},`))).toBe(true);
    // Data points that exist on every Linux host.
    for (const f of ['Processes/Processes.csv', 'Users and Groups/Users.csv', 'System Information/SystemInformation.txt', 'Network connections/ActiveNetConnections.csv']) expect(names).toContain(f);
    expect(unzipFile(zipPath, 'Processes/Processes.csv')).toMatch(new RegExp(`^${process.pid},`, 'm'));
  });

  it('should fail clearly on a platform without readFs/zip', async () => {
    const ctx = context(fakeFiles());
    const result = await collectInvestigationPackage.run({}, { ...ctx, platform: { ...ctx.platform, readFs: undefined } });
    expect(result).toMatchObject({ status: 'Failed', error: { code: 'NotSupported' } });
  });
});
