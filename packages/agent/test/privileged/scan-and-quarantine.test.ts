/**
 * RunAntiVirusScan with the real ClamAV engine and StopAndQuarantineFile / RestoreQuarantinedFile
 * with real processes and files. Everything they read or change lives in a temp tree: the
 * executors' location roots point there, and only the process this test started matches the SHA-1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/index.js';
import { createRunAntivirusScanExecutor } from '../../src/executors/run-antivirus-scan/index.js';
import { createStopAndQuarantineFileExecutor } from '../../src/executors/stop-and-quarantine-file/index.js';
import { restoreQuarantinedFileExecutor } from '../../src/executors/restore-quarantined-file/index.js';
import type { AgentSettings, ExecutorContext } from '../../src/executors/types.js';
import { skipReason } from './helpers.js';

const platform = createLinuxPlatform({ notifier: { notifyUsers: async () => {} } });
const ctxFor = (stateDir: string, settings: AgentSettings, signal = new AbortController().signal): ExecutorContext => ({
  actionId: 't', signal, platform, stateDir, settings, now: () => Date.now(), progress: () => {},
  log: { info: () => {}, warn: () => {}, error: () => {} },
  files: {} as ExecutorContext['files'],
});

const skipScan = skipReason('antivirus scan (real ClamAV)', ['clamscan', 'nice', 'ionice'], false);

describe.skipIf(skipScan)('RunAntiVirusScan with ClamAV', () => {
  let root: string;
  let state: string;
  let settings: AgentSettings;
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
    expect(out).toMatchObject({ scanType: 'Quick', engine: 'clamscan', scannedFiles: 3, detectionCount: 2, cpuPercent: 50 });
    const byPath = Object.fromEntries(out.detections.map((d: any) => [d.path, d]));
    expect(byPath[join(root, 'tmp/dropper.bin')]).toMatchObject({ signatureName: 'Cordon.Test.Dropper.UNOFFICIAL', size: 4096, sha1: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(byPath[join(root, 'home/ann/Downloads/invoice.txt')].signatureName).toBe('YARA.cordon_marker.UNOFFICIAL');
    expect(byPath[join(root, 'home/ann/Downloads/clean.txt')]).toBeUndefined();
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

  it('should fail plainly without any signature when no system database exists', async () => {
    if (await platform.clamav.systemDatabaseDir()) return void console.warn('[privileged] system ClamAV database present: no-signature case not applicable');
    const r = await createRunAntivirusScanExecutor({ quick: { root } }).run({ ScanType: 'Quick' }, ctxFor(state, {}));
    expect(r).toMatchObject({ status: 'Failed', error: { code: 'NoSignatures' } });
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
