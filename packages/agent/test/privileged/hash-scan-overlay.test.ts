/**
 * The hash scanner on an overlay whose upper layer is a tmpfs over a lower directory on the disk
 * (a live system's or a container's root can be this): lower-layer files report their layer's
 * st_dev, not the overlay's, and must still be read. The overlay lives in a mount namespace of a
 * helper process made here and is read through /proc/<pid>/root; it vanishes with that process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashScanner } from '../../src/platform/hash-scan.js';
import { skipReason } from './helpers.js';

const skip = skipReason('hash scan on an overlay', ['unshare', 'mount']);

describe.skipIf(skip)('hash scan on an overlay over another filesystem', () => {
  let dir: string;
  let holder: ChildProcess | undefined;
  let merged: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-overlay-'));
    await mkdir(join(dir, 'lower/sub'), { recursive: true });
    await mkdir(join(dir, 'up'));
    await mkdir(join(dir, 'merged'));
    await writeFile(join(dir, 'lower/sub/from-lower'), 'lower layer file');
    const setup = [
      'set -e',
      `mount -t tmpfs cordon-overlay-upper ${dir}/up`,
      `mkdir ${dir}/up/u ${dir}/up/w`,
      `mount -t overlay overlay -o lowerdir=${dir}/lower,upperdir=${dir}/up/u,workdir=${dir}/up/w ${dir}/merged`,
      `echo written-above > ${dir}/merged/from-upper`,
      'echo ready',
      'exec sleep infinity',
    ].join('\n');
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', setup], { stdio: ['ignore', 'pipe', 'inherit'] });
    holder = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`the overlay could not be set up (exit ${code})`)));
    });
    merged = `/proc/${child.pid}/root${dir}/merged`;
  });
  afterAll(async () => {
    holder?.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should read the files of every layer while the lower ones report another device', async () => {
    // The premise: without it this test proves nothing.
    expect((await lstat(`${merged}/sub/from-lower`)).dev).not.toBe((await lstat(merged)).dev);
    const paths: string[] = [];
    const r = await createHashScanner().scan({
      targets: [merged], excludePaths: [], algorithms: ['sha256'], sizes: { exact: [], any: true, min: 0, max: 1024 },
      onFile: (f) => paths.push(f.path), cpuPercent: 100, signal: new AbortController().signal,
    });
    expect(paths.sort()).toEqual([`${merged}/from-upper`, `${merged}/sub/from-lower`]);
    expect(r.scannedFiles).toBe(2);
  });
});
