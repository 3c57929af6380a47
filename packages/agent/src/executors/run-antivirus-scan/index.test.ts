import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { createRunAntivirusScanExecutor, runAntivirusScanExecutor } from './index.js';
import { quickLocations, readablePathError } from './locations.js';

describe('runAntivirusScanExecutor', () => {
  let dir: string;
  let p: FakePlatform;
  const SIGS = { hashes: ['d41d8cd98f00b204e9800998ecf8427e:0:Cordon.Md5', `${'a'.repeat(64)}:12:Cordon.Sha256`, 'garbage line'], yara: ['rule r { condition: false }'] };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-scan-'));
    p = createFakePlatform();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should refuse an unknown or missing ScanType', () => {
    expect(runAntivirusScanExecutor.validate({ ScanType: 'Deep' })).toBe('ScanType must be one of Quick, Full');
    expect(runAntivirusScanExecutor.validate({})).toBe('ScanType must be one of Quick, Full');
    expect(runAntivirusScanExecutor.validate({ ScanType: 'Quick' })).toBeUndefined();
  });

  it('should scan the local mounts with the tenant signatures at the configured CPU share', async () => {
    p.state.localMounts = ['/', '/srv'];
    const state = join(dir, 'state');
    await mkdir(state);
    const evil = join(dir, 'evil');
    await writeFile(evil, 'abc');
    p.state.scanResult = { engine: 'clamscan', scannedFiles: 3, scannedBytes: 1000, detections: [{ path: evil, signature: 'Cordon.Sha256.UNOFFICIAL' }], errors: [] };
    let t = 5_000;
    const ctx = makeTestContext(p, { stateDir: state, now: () => (t += 250), settings: { scanSignatures: SIGS, scanCpuPercent: 30 } });
    const r = await runAntivirusScanExecutor.run({ ScanType: 'Full' }, ctx);
    expect(p.calls.scans).toEqual([{ targets: ['/', '/srv'], databaseDirs: [join(state, 'signatures')], excludeDirs: [state], cpuPercent: 30, signal: ctx.signal }]);
    expect(await readFile(join(state, 'signatures/tenant.hdb'), 'utf8')).toBe('d41d8cd98f00b204e9800998ecf8427e:0:Cordon.Md5\n');
    expect(await readFile(join(state, 'signatures/tenant.hsb'), 'utf8')).toBe(`${'a'.repeat(64)}:12:Cordon.Sha256\n`);
    expect(await readFile(join(state, 'signatures/tenant-0.yar'), 'utf8')).toBe('rule r { condition: false }');
    expect(r).toEqual({
      status: 'Succeeded',
      output: {
        scanType: 'Full', engine: 'clamscan', scannedFiles: 3, scannedBytes: 1000, durationMs: 250, cpuPercent: 30, detectionCount: 1,
        detections: [{ path: evil, sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', size: 3, signatureName: 'Cordon.Sha256.UNOFFICIAL' }],
        targets: ['/', '/srv'], errorCount: 0, droppedSignatures: 1,
      },
    });
  });

  it('should default the CPU share to 50% and add the system database when present', async () => {
    p.state.systemDb = '/var/lib/clamav';
    await runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir }));
    expect(p.calls.scans[0]).toMatchObject({ databaseDirs: ['/var/lib/clamav'], cpuPercent: 50 });
  });

  it('should fail plainly when there is no signature at all', async () => {
    const r = await runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir }));
    expect(r).toMatchObject({ status: 'Failed', error: { code: 'NoSignatures' } });
    expect(p.calls.scans).toEqual([]);
  });

  it('should refuse a location it may not read before scanning', async () => {
    const exec = createRunAntivirusScanExecutor({ locations: async () => ['/tmp', '/proc/1'] });
    const r = await exec.run({ ScanType: 'Quick' }, makeTestContext(p, { stateDir: dir, settings: { scanSignatures: SIGS } }));
    expect(r).toEqual({ status: 'Failed', error: { code: 'ScanRefused', message: 'Refused path "/proc/1": pseudo filesystems are never read' } });
    expect(p.calls.scans).toEqual([]);
  });

  it('should pass cancellation to the engine', async () => {
    const ac = new AbortController();
    p.state.scanResult = (req) => new Promise((_res, rej) => req.signal.addEventListener('abort', () => rej(req.signal.reason)));
    const run = runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir, signal: ac.signal, settings: { scanSignatures: SIGS } }));
    await new Promise((r) => setImmediate(r));
    await Promise.resolve();
    ac.abort(new Error('Cancelled'));
    await expect(run).rejects.toThrow('Cancelled');
  });
});

describe('quickLocations', () => {
  it('should list existing temp, home and autostart locations under the root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cordon-quick-'));
    for (const d of ['tmp', 'dev/shm', 'etc/cron.d', 'home/ann/Downloads', 'home/ann/.cache', 'root/.local/bin']) await mkdir(join(root, d), { recursive: true });
    const p = createFakePlatform();
    expect(await quickLocations(p, { root })).toEqual([
      `${root}/tmp`, `${root}/dev/shm`, `${root}/etc/cron.d`, `${root}/home/ann/Downloads`, `${root}/home/ann/.cache`, `${root}/root/.local/bin`,
    ]);
    await rm(root, { recursive: true, force: true });
  });

  it('should add running executables when scanning the real root', async () => {
    const p = createFakePlatform();
    p.state.processes = [{ pid: 5, exe: '/usr/bin/env', exeFile: '/usr/bin/env', alive: true }, { pid: 6, exe: '/tmp/x (deleted)', exeFile: '', alive: true }];
    expect(await quickLocations(p)).toContain('/usr/bin/env');
  });
});

describe('readablePathError', () => {
  it.each([
    ['/home/a', undefined],
    ['/dev/shm', undefined],
    ['relative', 'Refused path "relative": an absolute, normalised path is required'],
    ['/tmp/../etc', 'Refused path "/tmp/../etc": an absolute, normalised path is required'],
    ['/sys/kernel', 'Refused path "/sys/kernel": pseudo filesystems are never read'],
    ['/dev', 'Refused path "/dev": pseudo filesystems are never read'],
    ['/var/lib/cordon/quarantine', `Refused path "/var/lib/cordon/quarantine": the agent's own state (quarantine) is never scanned`],
  ])('%s', (path, expected) => {
    expect(readablePathError(path, '/var/lib/cordon')).toBe(expected);
  });
});
