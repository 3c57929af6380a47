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

  const request = (over: Partial<HashScanRequest> = {}) => {
    const files: Parameters<HashScanRequest['onFile']>[0][] = [];
    const req: HashScanRequest = {
      targets: [join(dir, 'a')], excludePaths: [join(dir, 'a/skip')], algorithms: ['sha1', 'sha256', 'md5'],
      sizes: { exact: [], any: true, min: 0, max: Number.MAX_SAFE_INTEGER }, onFile: (f) => files.push(f), cpuPercent: 100, signal: new AbortController().signal, ...over,
    };
    return { req, files };
  };

  it('should hash every regular file exactly, skip excluded dirs and never follow symlinks', async () => {
    const { req, files } = request();
    const r = await createHashScanner().scan(req);
    expect(r).toEqual({ scannedFiles: 2, scannedBytes: big.length + small.length, errors: [], pausedMs: 0 });
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
    const { req, files } = request({ sizes: { exact: [small.length], any: false, min: 6, max: 1 << 30 } });
    const r = await createHashScanner().scan(req);
    expect(r.scannedBytes).toBe(small.length + Math.min(1024, big.length));
    expect(files.find((f) => f.path.endsWith('/big'))).toMatchObject({ hashes: undefined, size: big.length });
    expect(files.find((f) => f.path.endsWith('/small'))?.hashes?.sha1).toBe(createHash('sha1').update(small).digest('hex'));
  });

  it('should pause so that CPU time stays at the share of wall time (virtual clock)', async () => {
    // Each CPU-clock reading adds 10 ms: at 50% every 10 ms used needs 10 ms paused, at 20% 40 ms
    // (each 1 s window starts afresh, so the totals are not exactly proportional).
    const half = await createHashScanner({ simulateCpuMicrosPerReading: 10_000 }).scan(request({ cpuPercent: 50 }).req);
    const fifth = await createHashScanner({ simulateCpuMicrosPerReading: 10_000 }).scan(request({ cpuPercent: 20 }).req);
    expect(half.pausedMs).toBeGreaterThanOrEqual(2 * 10);
    expect(fifth.pausedMs).toBeGreaterThan(half.pausedMs);
    const full = await createHashScanner({ simulateCpuMicrosPerReading: 10_000 }).scan(request({ cpuPercent: 100 }).req);
    expect(full.pausedMs).toBe(0);
  });

  it('should stop with the abort reason, also from a pause', async () => {
    const ac = new AbortController();
    ac.abort(new Error('Cancelled early'));
    await expect(createHashScanner().scan(request({ signal: ac.signal }).req)).rejects.toThrow('Cancelled early');
    const ac2 = new AbortController();
    // 1% with real pauses: the worker is paused at once (its first file costs well over 0 CPU).
    const running = createHashScanner().scan(request({ cpuPercent: 1, signal: ac2.signal }).req);
    ac2.abort(new Error('Cancelled'));
    await expect(running).rejects.toThrow('Cancelled');
  });

  it('should report an onFile failure as the scan failure', async () => {
    const { req } = request({
      onFile: () => {
        throw new Error('matcher broke');
      },
    });
    await expect(createHashScanner().scan(req)).rejects.toThrow('matcher broke');
  });
});
