import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePlatform, makeTestContext, type FakePlatform } from '../../platform/fake-platform.js';
import { createRunAntivirusScanExecutor, runAntivirusScanExecutor, scannerCpuPercent } from './index.js';
import { quickLocations, readablePathError } from './locations.js';

describe('runAntivirusScanExecutor', () => {
  let dir: string;
  let p: FakePlatform;
  const SIGS = { hashes: ['900150983cd24fb0d6963f7d28e17f72:3:Cordon.Md5', 'd41d8cd98f00b204e9800998ecf8427e:0:Cordon.ZeroSize', `${'a'.repeat(64)}:12:Cordon.Sha256`, 'garbage line'], yara: ['rule r { condition: false }'] };
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
    expect(p.calls.scans).toEqual([{ targets: ['/', '/srv'], databaseDirs: [join(state, 'signatures')], excludePaths: [state], cpuPercent: 30, signal: ctx.signal }]);
    expect(await readFile(join(state, 'signatures/tenant.hdb'), 'utf8')).toBe('900150983cd24fb0d6963f7d28e17f72:3:Cordon.Md5\n');
    expect(await readFile(join(state, 'signatures/tenant.hsb'), 'utf8')).toBe(`${'a'.repeat(64)}:12:Cordon.Sha256\n`);
    expect(await readFile(join(state, 'signatures/tenant-0.yar'), 'utf8')).toBe('rule r { condition: false }');
    expect(r).toEqual({
      status: 'Succeeded',
      output: {
        scanType: 'Full', engine: 'clamscan', scannedFiles: 3, scannedBytes: 1000, durationMs: 250, cpuPercent: 30, detectionCount: 1,
        detections: [{ path: evil, sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', size: 3, signatureName: 'Cordon.Sha256.UNOFFICIAL' }],
        targets: ['/', '/srv'], excluded: [], errorCount: 0, droppedSignatures: 2, signatureSources: ['builtin', 'tenant'],
      },
    });
  });

  it('should leave out of a Full scan the mounts it may not read instead of refusing the scan', async () => {
    p.state.systemDb = '/var/lib/clamav'; // the fake engine: nothing reads these mounts
    p.state.localMounts = ['/', '/sys/fs/cgroup', '/proc/sys/fs/binfmt_misc', dir, '/srv'];
    const r = await runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir }));
    expect(p.calls.scans[0]).toMatchObject({ targets: ['/', '/srv'] });
    expect(r).toMatchObject({ status: 'Succeeded', output: { targets: ['/', '/srv'] } });
  });

  it('should default the CPU share to 50% and add the system database when present', async () => {
    p.state.systemDb = '/var/lib/clamav';
    await runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir }));
    expect(p.calls.scans[0]).toMatchObject({ databaseDirs: [join(dir, 'signatures'), '/var/lib/clamav'], cpuPercent: 50 });
  });

  it('should read the CPU share as a share of the whole machine (single-threaded scanners get share × cores)', async () => {
    expect([scannerCpuPercent(50, 2), scannerCpuPercent(50, 1), scannerCpuPercent(10, 4), scannerCpuPercent(30, 8), scannerCpuPercent(0, 2), scannerCpuPercent(50, 0)]).toEqual([100, 50, 40, 100, 2, 50]);
    p.state.systemDb = '/var/lib/clamav';
    p.cpuCount = () => 4;
    await runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir, settings: { scanCpuPercent: 20 } }));
    expect(p.calls.scans[0]).toMatchObject({ cpuPercent: 80 });
  });

  it('should always scan with the built-in set, written as a database of its own beside the tenant one', async () => {
    p.state.systemDb = '/var/lib/clamav';
    const r = await runAntivirusScanExecutor.run({ ScanType: 'Full' }, makeTestContext(p, { stateDir: dir }));
    expect(r).toMatchObject({ status: 'Succeeded', output: { signatureSources: ['builtin', 'clamav'], droppedSignatures: 0 } });
    expect(await readFile(join(dir, 'signatures/builtin.hdb'), 'utf8')).toBe('44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n');
    expect(await readFile(join(dir, 'signatures/builtin.hsb'), 'utf8')).toBe(
      '3395856ce81f2b7382dee72602f798b642f14140:68:Eicar-Test-Signature\n275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68:Eicar-Test-Signature\n',
    );
    expect(await readFile(join(dir, 'signatures/tenant.hsb'), 'utf8').catch(() => 'absent')).toBe('absent');
  });

  it('should refuse a location it may not read before scanning', async () => {
    const exec = createRunAntivirusScanExecutor({ locations: async () => ['/tmp', '/proc/1'] });
    const r = await exec.run({ ScanType: 'Quick' }, makeTestContext(p, { stateDir: dir, settings: { scanSignatures: SIGS } }));
    expect(r).toEqual({ status: 'Failed', error: { code: 'ScanRefused', message: 'Refused path "/proc/1": pseudo filesystems are never read' } });
    expect(p.calls.scans).toEqual([]);
  });

  it("should pass the tenant's scan exclusions to the engine, leave out locations inside them and list them", async () => {
    p.state.systemDb = '/var/lib/clamav';
    const exec = createRunAntivirusScanExecutor({ locations: async () => ['/tmp', '/usr/local/bin', '/usr/bin/env', '/srv'] });
    // What the agent cannot compare safely is ignored, whatever a server sent.
    const scanExclusions = ['/usr', '/srv/share/big.iso', 'relative', '/opt/../etc', '/', '/usr'];
    const r = await exec.run({ ScanType: 'Quick' }, makeTestContext(p, { stateDir: dir, settings: { scanExclusions } }));
    expect(p.calls.scans[0]).toMatchObject({ targets: ['/tmp', '/srv'], excludePaths: [dir, '/usr', '/srv/share/big.iso'] });
    expect(r).toMatchObject({ status: 'Succeeded', output: { targets: ['/tmp', '/srv'], excluded: ['/usr', '/srv/share/big.iso'] } });
  });

  it('should refuse a scan whose every location is excluded rather than scan nothing', async () => {
    const exec = createRunAntivirusScanExecutor({ locations: async () => ['/usr/local/bin', '/usr/bin/env'] });
    const r = await exec.run({ ScanType: 'Quick' }, makeTestContext(p, { stateDir: dir, settings: { scanExclusions: ['/usr'] } }));
    expect(r).toEqual({ status: 'Failed', error: { code: 'ScanRefused', message: "Every location of this scan is in the tenant's scan exclusions" } });
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

describe('runAntivirusScanExecutor with hash-only signatures', () => {
  let dir: string;
  let p: FakePlatform;
  let state: string;
  const evil = Buffer.from('evil payload one');
  const sha = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');
  const zip = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(60, 1)]);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-hscan-'));
    p = createFakePlatform();
    state = join(dir, 'tree/state'); // inside the scanned tree: the walk must leave it out
    await mkdir(join(dir, 'tree/sub'), { recursive: true });
    await mkdir(state);
    await writeFile(join(dir, 'tree/evil.bin'), evil);
    await writeFile(join(dir, 'tree/sub/evil-copy'), evil);
    await writeFile(join(dir, 'tree/sub/same-size-clean'), Buffer.from('clean payload 01'));
    await writeFile(join(dir, 'tree/sub/bundle.zip'), zip);
    await writeFile(join(state, 'not-scanned'), evil);
    await symlink(join(dir, 'tree/evil.bin'), join(dir, 'tree/link'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const run = (hashes: string[], extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
    createRunAntivirusScanExecutor({ locations: async () => [join(dir, 'tree')] }).run(
      { ScanType: 'Full' },
      makeTestContext(p, { stateDir: state, settings: { scanSignatures: { hashes, yara: [] }, ...extra }, ...(signal ? { signal } : {}) }),
    );

  it('should match the files itself, hand containers to clamscan, and keep the detection shape', async () => {
    p.state.scanResult = { engine: 'clamscan', scannedFiles: 1, scannedBytes: 64, detections: [{ path: join(dir, 'tree/sub/bundle.zip'), signature: 'T.Member.UNOFFICIAL' }], errors: [] };
    const r = await run([`${sha('sha256', evil)}:${evil.length}:T.Evil`, `${sha('md5', Buffer.from('member'))}:6:T.Member`]);
    expect(p.calls.hashScans).toHaveLength(1);
    expect(p.calls.hashScans[0]).toMatchObject({ algorithms: ['md5', 'sha1', 'sha256'], excludePaths: [state], cpuPercent: 50 });
    // Only the container went to ClamAV, with the tenant database.
    expect(p.calls.scans.map((s) => ({ targets: s.targets, databaseDirs: s.databaseDirs }))).toEqual([{ targets: [join(dir, 'tree/sub/bundle.zip')], databaseDirs: [join(state, 'signatures')] }]);
    expect(r.status).toBe('Succeeded');
    const out = (r as { output: Record<string, unknown> }).output;
    expect(out).toMatchObject({ engine: 'hash+clamscan', scannedFiles: 4, detectionCount: 3, errorCount: 0 });
    const d = (out.detections as { path: string }[]).sort((a, b) => a.path.localeCompare(b.path));
    expect(d).toEqual([
      { path: join(dir, 'tree/evil.bin'), sha1: sha('sha1', evil), sha256: sha('sha256', evil), size: evil.length, signatureName: 'T.Evil.UNOFFICIAL' },
      { path: join(dir, 'tree/sub/bundle.zip'), sha1: sha('sha1', zip), sha256: sha('sha256', zip), size: zip.length, signatureName: 'T.Member.UNOFFICIAL' },
      { path: join(dir, 'tree/sub/evil-copy'), sha1: sha('sha1', evil), sha256: sha('sha256', evil), size: evil.length, signatureName: 'T.Evil.UNOFFICIAL' },
    ]);
  });

  it('should not read an excluded directory or file and still detect the same content elsewhere', async () => {
    await mkdir(join(dir, 'tree/skipped/deeper'), { recursive: true });
    await writeFile(join(dir, 'tree/skipped/deeper/evil'), evil);
    const excluded = [join(dir, 'tree/skipped'), join(dir, 'tree/evil.bin')];
    const r = await run([`${sha('sha256', evil)}:${evil.length}:T.Evil`], { scanExclusions: excluded });
    expect(p.calls.hashScans[0]).toMatchObject({ excludePaths: [state, ...excluded] });
    expect(r).toMatchObject({ status: 'Succeeded', output: { scannedFiles: 3, detectionCount: 1, detections: [{ path: join(dir, 'tree/sub/evil-copy') }], excluded } });
  });

  it('should match sha1 and md5 lines and nothing when the size differs', async () => {
    const r1 = await run([`${sha('sha1', evil)}:${evil.length}:T.Sha1`]);
    expect(r1).toMatchObject({ output: { detections: [{ signatureName: 'T.Sha1.UNOFFICIAL' }, { signatureName: 'T.Sha1.UNOFFICIAL' }] } });
    const r2 = await run([`${sha('md5', evil).toUpperCase()}:${evil.length}:T.Md5`]);
    expect(r2).toMatchObject({ output: { detectionCount: 2, detections: [{ signatureName: 'T.Md5.UNOFFICIAL' }, { signatureName: 'T.Md5.UNOFFICIAL' }] } });
    const r3 = await run([`${sha('sha256', evil)}:${evil.length + 1}:T.WrongSize`, `${sha('md5', evil)}:${evil.length - 1}:T.WrongSize2`]);
    expect(r3).toMatchObject({ status: 'Succeeded', output: { engine: 'hash+clamscan', detectionCount: 0, detections: [] } });
  });

  it('should pace hashing to the CPU share (injected clocks) and not at 100%', async () => {
    p.state.cpuMicrosStep = 2_000; // every reading: 2 ms more CPU used
    await run([`${sha('sha256', evil)}:${evil.length}:T.Evil`], { scanCpuPercent: 25 });
    // At 25%, every 2 ms of CPU is followed by 6 ms off CPU: at least one such pause per file.
    expect(p.calls.hashPausedMs[0]).toBeGreaterThanOrEqual(4 * 6);
    await run([`${sha('sha256', evil)}:${evil.length}:T.Evil`], { scanCpuPercent: 100 });
    expect(p.calls.hashPausedMs[1]).toBe(0);
  });

  it('should keep YARA rules and the system database on ClamAV', async () => {
    await run([`${sha('sha256', evil)}:${evil.length}:T.Evil`], { scanSignatures: { hashes: [`${sha('sha256', evil)}:${evil.length}:T.Evil`], yara: ['rule r { condition: false }'] } });
    p.state.systemDb = '/var/lib/clamav';
    await run([`${sha('sha256', evil)}:${evil.length}:T.Evil`]);
    expect(p.calls.hashScans).toEqual([]);
    expect(p.calls.scans.map((s) => s.targets)).toEqual([[join(dir, 'tree')], [join(dir, 'tree')]]);
  });

  it('should stop hashing when cancelled', async () => {
    const ac = new AbortController();
    ac.abort(new Error('Cancelled'));
    await expect(run([`${sha('sha256', evil)}:${evil.length}:T.Evil`], {}, ac.signal)).rejects.toThrow('Cancelled');
  });
});

describe('runAntivirusScanExecutor on a device with neither a ClamAV database nor tenant signatures', () => {
  let dir: string;
  let p: FakePlatform;
  // Assembled here so this source file is not itself the test file (it is only the standard string).
  const eicar = Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(''));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-eicar-'));
    p = createFakePlatform();
    await mkdir(join(dir, 'root/tmp'), { recursive: true });
    await mkdir(join(dir, 'state'));
    await writeFile(join(dir, 'root/tmp/eicar.com'), eicar);
    await writeFile(join(dir, 'root/tmp/notes.txt'), 'nothing to see here');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('should hold the standard EICAR file under its MD5, SHA-1 and SHA-256', () => {
    const h = (alg: string) => createHash(alg).update(eicar).digest('hex');
    expect(eicar.length).toBe(68);
    expect([h('md5'), h('sha1'), h('sha256')]).toEqual(['44d88612fea8a8f36de82e1278abb02f', '3395856ce81f2b7382dee72602f798b642f14140', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']);
  });

  it.each(['Quick', 'Full'] as const)('should succeed a %s scan with one detection of an EICAR file in a Quick location', async (ScanType) => {
    const exec = createRunAntivirusScanExecutor({ quick: { root: join(dir, 'root') }, locations: ScanType === 'Full' ? async () => [join(dir, 'root')] : undefined });
    const r = await exec.run({ ScanType }, makeTestContext(p, { stateDir: join(dir, 'state') }));
    expect(r).toMatchObject({
      status: 'Succeeded',
      output: {
        scanType: ScanType, engine: 'hash', detectionCount: 1, signatureSources: ['builtin'],
        detections: [{ path: join(dir, 'root/tmp/eicar.com'), sha1: '3395856ce81f2b7382dee72602f798b642f14140', sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', size: 68, signatureName: 'Eicar-Test-Signature.UNOFFICIAL' }],
      },
    });
    expect(p.calls.scans).toEqual([]); // nothing for ClamAV to unpack
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
