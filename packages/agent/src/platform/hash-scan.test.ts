import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashScanner, type HashScanRequest } from './hash-scan.js';

describe('createHashScanner', () => {
  let dir: string;
  const big = randomBytes(3 * 1024 * 1024 + 17); // several read chunks
  const small = Buffer.from('small file content');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-hashscan-'));
    await mkdir(join(dir, 'a/skip/deeper'), { recursive: true });
    await writeFile(join(dir, 'a/big'), big);
    await writeFile(join(dir, 'a/small'), small);
    await writeFile(join(dir, 'a/skip/deeper/hidden'), small);
    await symlink(join(dir, 'a/big'), join(dir, 'a/link'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const clocks = (cpuStep: number) => {
    let now = 0;
    let cpu = 0;
    const sleeps: number[] = [];
    return {
      sleeps,
      deps: {
        now: () => now,
        cpuMicros: () => (cpu += cpuStep),
        sleep: async (ms: number) => {
          sleeps.push(ms);
          now += ms;
        },
      },
    };
  };
  const request = (over: Partial<HashScanRequest> = {}) => {
    const files: Parameters<HashScanRequest['onFile']>[0][] = [];
    const req: HashScanRequest = {
      targets: [join(dir, 'a')], excludeDirs: [join(dir, 'a/skip')], algorithms: ['sha1', 'sha256', 'md5'],
      wantSize: () => true, onFile: (f) => files.push(f), cpuPercent: 100, signal: new AbortController().signal, ...over,
    };
    return { req, files };
  };

  it('should hash every regular file exactly, skip excluded dirs and never follow symlinks', async () => {
    const { req, files } = request();
    const r = await createHashScanner().scan(req);
    expect(r).toEqual({ scannedFiles: 2, scannedBytes: big.length + small.length, errors: [] });
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([join(dir, 'a/big'), join(dir, 'a/small')]);
    for (const [name, data] of [['big', big], ['small', small]] as const) {
      const f = byPath[join(dir, 'a', name)]!;
      expect(f.size).toBe(data.length);
      expect(f.head.equals(data.subarray(0, 1024))).toBe(true);
      expect(f.hashes).toEqual({
        sha1: createHash('sha1').update(data).digest('hex'),
        sha256: createHash('sha256').update(data).digest('hex'),
        md5: createHash('md5').update(data).digest('hex'),
      });
    }
  });

  it('should only sniff the head of files whose size cannot match', async () => {
    const { req, files } = request({ wantSize: (size) => size === small.length });
    const r = await createHashScanner().scan(req);
    expect(r.scannedBytes).toBe(small.length + Math.min(1024, big.length));
    expect(files.find((f) => f.path.endsWith('/big'))).toMatchObject({ hashes: undefined, size: big.length });
    expect(files.find((f) => f.path.endsWith('/small'))?.hashes?.sha1).toBe(createHash('sha1').update(small).digest('hex'));
  });

  it('should sleep so that CPU time stays at the share of wall time', async () => {
    const c = clocks(10_000); // each reading of the CPU clock: 10 ms more used
    const { req } = request({ cpuPercent: 50 });
    await createHashScanner(c.deps).scan(req);
    expect(c.sleeps.length).toBeGreaterThan(0);
    // 50%: at least as much time off CPU as on it, so each debt is >= the CPU used since the window began.
    expect(c.sleeps.every((ms) => ms >= 10)).toBe(true);
    const none = clocks(10_000);
    await createHashScanner(none.deps).scan(request({ cpuPercent: 100 }).req);
    expect(none.sleeps).toEqual([]);
  });

  it('should stop with the abort reason', async () => {
    const ac = new AbortController();
    const c = clocks(1_000);
    const { req } = request({ cpuPercent: 10, signal: ac.signal });
    const sleep = c.deps.sleep;
    c.deps.sleep = async (ms: number) => {
      ac.abort(new Error('Cancelled'));
      return sleep(ms);
    };
    await expect(createHashScanner(c.deps).scan(req)).rejects.toThrow('Cancelled');
  });
});
