/**
 * RunAntiVirusScan with the real ClamAV engine and StopAndQuarantineFile / RestoreQuarantinedFile
 * with real processes and files. Everything they read or change lives in a temp tree: the
 * executors' location roots point there, and only the process this test started matches the SHA-1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/index.js';
import { scannerCpuPercent } from '../../src/executors/run-antivirus-scan/index.js';
import { createRunAntivirusScanExecutor } from '../../src/executors/run-antivirus-scan/index.js';
import { createStopAndQuarantineFileExecutor } from '../../src/executors/stop-and-quarantine-file/index.js';
import { restoreQuarantinedFileExecutor } from '../../src/executors/restore-quarantined-file/index.js';
import type { TenantSettingsBody } from '@cordon/protocol';
import type { ExecutorContext } from '../../src/executors/types.js';
import { agentSettings } from '../support/agent-settings.js';
import { skipReason } from './helpers.js';

// Scans and quarantine build no tools: the directory is never created.
const platform = createLinuxPlatform({ toolsDir: join(tmpdir(), 'cordon-unused-tools'), notifier: { notifyUsers: async () => {} } });
const ctxFor = (stateDir: string, body: TenantSettingsBody, signal = new AbortController().signal): ExecutorContext => ({
  actionId: 't', signal, platform, stateDir, settings: agentSettings(body), serverUrls: () => [], now: () => Date.now(), progress: () => {},
  log: { info: () => {}, warn: () => {}, error: () => {} },
  files: {} as ExecutorContext['files'],
});

const skipScan = skipReason('antivirus scan (real ClamAV)', ['clamscan', 'nice', 'ionice'], false);

describe.skipIf(skipScan)('RunAntiVirusScan with ClamAV', () => {
  let root: string;
  let state: string;
  let settings: TenantSettingsBody;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cordon-scan-priv-'));
    state = join(root, 'state');
    await mkdir(state);
    await mkdir(join(root, 'tmp'));
    await mkdir(join(root, 'home/ann/Downloads'), { recursive: true });
    const evil = randomBytes(4096);
    await writeFile(join(root, 'tmp/dropper.bin'), evil);
    await writeFile(join(root, 'home/ann/Downloads/invoice.txt'), 'please pay CORDON-YARA-MARKER-7731 now');
    await writeFile(join(root, 'home/ann/Downloads/clean.txt'), 'nothing to see');
    settings = {
      scanSignatures: {
        hashes: [`${createHash('sha256').update(evil).digest('hex')}:4096:Cordon.Test.Dropper`],
        yara: ['rule cordon_marker { strings: $m = "CORDON-YARA-MARKER-7731" condition: $m }'],
      },
    };
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('should detect the hash and YARA matches, pass the clean file, and report counts', async () => {
    const exec = createRunAntivirusScanExecutor({ quick: { root } });
    const r = await exec.run({ ScanType: 'Quick' }, ctxFor(state, settings));
    expect(r.status).toBe('Succeeded');
    const out = (r as { output: Record<string, any> }).output;
    expect(out).toMatchObject({ scanType: 'Quick', engine: 'clamscan', scannedFiles: 3, detectionCount: 2, cpuPercent: scannerCpuPercent(50, availableParallelism()) });
    const byPath = Object.fromEntries(out.detections.map((d: any) => [d.path, d]));
    expect(byPath[join(root, 'tmp/dropper.bin')]).toMatchObject({ signatureName: 'Cordon.Test.Dropper.UNOFFICIAL', size: 4096, sha1: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(byPath[join(root, 'home/ann/Downloads/invoice.txt')].signatureName).toBe('YARA.cordon_marker.UNOFFICIAL');
    expect(byPath[join(root, 'home/ann/Downloads/clean.txt')]).toBeUndefined();
  });

  it("should leave the tenant's excluded directories and files to ClamAV unread", async () => {
    await mkdir(join(root, 'tmp/skipped'), { recursive: true });
    await writeFile(join(root, 'tmp/skipped/marker.txt'), 'CORDON-YARA-MARKER-7731 in an excluded folder');
    const scanExclusions = [join(root, 'tmp/skipped'), join(root, 'home/ann/Downloads/invoice.txt')];
    const exec = createRunAntivirusScanExecutor({ quick: { root } });
    const r = await exec.run({ ScanType: 'Quick' }, ctxFor(state, { ...settings, scanExclusions }));
    try {
      expect(r).toMatchObject({ status: 'Succeeded', output: { engine: 'clamscan', scannedFiles: 2, detectionCount: 1, excluded: scanExclusions } });
      expect((r as { output: Record<string, any> }).output.detections.map((d: any) => d.path)).toEqual([join(root, 'tmp/dropper.bin')]);
    } finally {
      await rm(join(root, 'tmp/skipped'), { recursive: true, force: true });
    }
  });

  it('should kill the engine when the scan is cancelled', async () => {
    const ac = new AbortController();
    const exec = createRunAntivirusScanExecutor({ locations: async () => [join(root, 'tmp'), join(root, 'home')] });
    // 1% CPU: the engine spends most of its time SIGSTOPped, so it is surely still running.
    const running = exec.run({ ScanType: 'Full' }, ctxFor(state, { ...settings, scanCpuPercent: 1 }, ac.signal));
    const pid = await new Promise<number>((resolve) => {
      const poll = () => {
        const r = spawnSync('pgrep', ['-f', `clamscan.*${root}`], { encoding: 'utf8' });
        if (r.stdout.trim()) resolve(Number(r.stdout.trim().split('\n')[0]));
        else setTimeout(poll, 20);
      };
      poll();
    });
    ac.abort(new Error('Cancelled by the test'));
    await expect(running).rejects.toThrow('Cancelled by the test');
    // SIGKILL is asynchronous: wait until the engine is gone (the test timeout bounds this).
    while (spawnSync('pgrep', ['-f', `clamscan.*${root}`]).status === 0) await new Promise((r) => setTimeout(r, 20));
    expect(await platform.proc.isAlive(pid)).toBe(false); // dead (at most a zombie not yet reaped)
    expect(pid).toBeGreaterThan(0);
  });

  it.each(['Quick', 'Full'] as const)('should detect an EICAR file with the built-in set alone in a %s scan (no tenant signatures)', async (ScanType) => {
    const eicarRoot = join(root, 'eicar');
    await mkdir(join(eicarRoot, 'tmp'), { recursive: true });
    // Assembled at run time so this source file is not itself detected.
    await writeFile(join(eicarRoot, 'tmp/eicar.com'), ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(''));
    await writeFile(join(eicarRoot, 'tmp/notes.txt'), 'nothing to see here');
    const exec = createRunAntivirusScanExecutor({ quick: { root: eicarRoot }, ...(ScanType === 'Full' ? { locations: async () => [eicarRoot] } : {}) });
    const r = await exec.run({ ScanType }, ctxFor(state, {}));
    const systemDb = await platform.clamav.systemDatabaseDir();
    expect(r).toMatchObject({ status: 'Succeeded', output: { detectionCount: 1, signatureSources: systemDb ? ['builtin', 'clamav'] : ['builtin'] } });
    expect((r as { output: Record<string, any> }).output.detections).toEqual([
      expect.objectContaining({ path: join(eicarRoot, 'tmp/eicar.com'), sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', size: 68 }),
    ]);
  });
});

describe.skipIf(skipScan)('RunAntiVirusScan with hash-only signatures (agent hashing, ClamAV for containers)', () => {
  let root: string;
  let state: string;
  let settings: TenantSettingsBody;
  const h = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cordon-hscan-priv-'));
    state = join(root, 'state');
    await mkdir(state);
    const tree = join(root, 'tree');
    await mkdir(join(tree, 'a/b'), { recursive: true });
    const bySha256 = randomBytes(200_000);
    const bySha1 = randomBytes(3000);
    const byMd5 = randomBytes(10);
    const wrongSize = randomBytes(5000);
    const tiny = Buffer.from('tiny!'); // 5 bytes: ClamAV never matches it
    const member = randomBytes(777);
    await writeFile(join(tree, 'a/sha256.bin'), bySha256);
    await writeFile(join(tree, 'a/b/sha1.bin'), bySha1);
    await writeFile(join(tree, 'a/b/md5.bin'), byMd5);
    await writeFile(join(tree, 'a/wrong-size.bin'), wrongSize);
    await writeFile(join(tree, 'a/tiny'), tiny);
    await writeFile(join(tree, 'a/clean.txt'), 'nothing to see here');
    await platform.zip!.writeZip(join(tree, 'a/b/bundle.zip'), [{ name: 'inner/payload.bin', data: member }, { name: 'readme.txt', data: Buffer.from('hello there') }]);
    settings = {
      scanSignatures: {
        hashes: [
          `${h('sha256', bySha256).toUpperCase()}:${bySha256.length}:Cordon.Hash.Sha256`,
          `${h('sha1', bySha1)}:*:Cordon.Hash.Sha1Any:73`,
          `${h('md5', byMd5)}:${byMd5.length}:Cordon.Hash.Md5`,
          `${h('sha256', wrongSize)}:${wrongSize.length + 1}:Cordon.Hash.WrongSize`,
          `${h('sha256', tiny)}:${tiny.length}:Cordon.Hash.Tiny`,
          `${h('sha1', member)}:${member.length}:Cordon.Hash.Member`,
        ],
      },
    };
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('should report exactly what clamscan reports on the same signature files, in the same shape', async () => {
    const exec = createRunAntivirusScanExecutor({ locations: async () => [join(root, 'tree')] });
    const r = await exec.run({ ScanType: 'Full' }, ctxFor(state, { ...settings, scanCpuPercent: 100 }));
    expect(r.status).toBe('Succeeded');
    const out = (r as { output: Record<string, any> }).output;
    expect(out).toMatchObject({ engine: 'hash+clamscan', scannedFiles: 7, detectionCount: 4, droppedSignatures: 0, cpuPercent: 100, errorCount: 0 });
    const mine = Object.fromEntries(out.detections.map((d: any) => [d.path, d.signatureName]));
    // ClamAV itself over the same tree with the database files the executor wrote.
    const clam = spawnSync('clamscan', ['--no-summary', '--infected', '--recursive', `--database=${join(state, 'signatures')}`, join(root, 'tree')], { encoding: 'utf8' });
    expect(clam.status).toBe(1);
    const theirs = Object.fromEntries(clam.stdout.trim().split('\n').map((l) => /^(.*): (\S+) FOUND$/.exec(l)!).map((m) => [m[1], m[2]]));
    expect(mine).toEqual(theirs);
    expect(mine).toEqual({
      [join(root, 'tree/a/sha256.bin')]: 'Cordon.Hash.Sha256.UNOFFICIAL',
      [join(root, 'tree/a/b/sha1.bin')]: 'Cordon.Hash.Sha1Any.UNOFFICIAL',
      [join(root, 'tree/a/b/md5.bin')]: 'Cordon.Hash.Md5.UNOFFICIAL',
      [join(root, 'tree/a/b/bundle.zip')]: 'Cordon.Hash.Member.UNOFFICIAL',
    });
    const sha = out.detections.find((d: any) => d.path.endsWith('sha256.bin'));
    expect(sha).toEqual({ path: join(root, 'tree/a/sha256.bin'), sha1: expect.stringMatching(/^[0-9a-f]{40}$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 200_000, signatureName: 'Cordon.Hash.Sha256.UNOFFICIAL' });
  });

  it('should stop a paced hash scan when cancelled', async () => {
    const ac = new AbortController();
    const exec = createRunAntivirusScanExecutor({ locations: async () => [join(root, 'tree')] });
    const running = exec.run({ ScanType: 'Full' }, ctxFor(state, { ...settings, scanCpuPercent: 1 }, ac.signal));
    setImmediate(() => ac.abort(new Error('Cancelled by the test')));
    await expect(running).rejects.toThrow('Cancelled by the test');
  });
});

const skipQ = skipReason('stop and quarantine (real processes)', [], false);

describe.skipIf(skipQ)('StopAndQuarantineFile / RestoreQuarantinedFile with a real process', () => {
  let root: string;
  let state: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cordon-sqf-priv-'));
    state = join(root, 'state');
    await mkdir(state);
    await mkdir(join(root, 'tmp'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('should kill the running copy, quarantine it, and restore it byte-identical with its mode', async () => {
    const bin = join(root, 'tmp/evil-sleep');
    await copyFile('/usr/bin/sleep', bin);
    await appendFile(bin, randomBytes(32)); // unique SHA-1: nothing else on the machine matches
    await chmod(bin, 0o750);
    const original = await readFile(bin);
    const sha1 = createHash('sha1').update(original).digest('hex');
    const child = spawn(bin, ['300'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, s) => r(s)));
    await new Promise((r) => child.once('spawn', r));

    const r = await createStopAndQuarantineFileExecutor({ quick: { root } }).run({ Sha1: sha1 }, ctxFor(state, {}));
    expect(r).toMatchObject({ status: 'Succeeded', output: { found: true, killedProcesses: [{ pid: child.pid, exe: bin }], quarantined: [{ path: bin }] } });
    expect(await exited).toBe('SIGKILL');
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    const stored = await readdir(join(state, 'quarantine', sha1));
    expect(stored).toEqual(['0.bin', '0.json']);
    expect((await readFile(join(state, 'quarantine', sha1, '0.bin'))).equals(original)).toBe(false);

    const back = await restoreQuarantinedFileExecutor.run({ Sha1: sha1 }, ctxFor(state, {}));
    expect(back).toMatchObject({ status: 'Succeeded', output: { restored: [bin] } });
    expect((await stat(bin)).mode & 0o7777).toBe(0o750);
    expect((await readFile(bin)).equals(original)).toBe(true);
  });
});
