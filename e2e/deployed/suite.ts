/**
 * The deployed suite, written once and run per engine (sqlite.test.ts, postgres.test.ts): every
 * response action through the public API against real `cordon server` and `cordon agent`
 * processes, each effect checked from outside the agent (see harness.ts). The tests share one
 * device and run in order; each leaves the device released and unrestricted for the next.
 */
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, canonicalRequestText } from '@cordon/protocol';
import { waitFor } from '../support/cluster.js';
import { Deployment, NET, deployedSkipReason, type DeploymentOptions } from './harness.js';
import { run } from './processes.js';
import { liveConsoleCases } from './live-console-cases.js';
import { OFFBOARDED_EXIT_CODE } from '@cordon/agent';

const sha = (algo: 'sha1' | 'sha256', b: Buffer | string) => createHash(algo).update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The standard antivirus test file (not malware); every engine detects it. */
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** Prints `ran` when execve of argv[1] worked, else the error code (EPERM when the guard refused). */
const EXEC_PROBE = `const r = require('child_process').spawnSync(process.argv[1], []); console.log(r.error ? r.error.code : 'ran');`;

export function describeDeployedSuite(options: DeploymentOptions & { title: string }): void {
  const skip = deployedSkipReason(options.engine);
  describe.skipIf(skip)(options.title, () => {
    const d = new Deployment(options);
    const { server, internet } = NET;
    const [open, closed] = NET.internetPorts;
    const serverPort = NET.serverPorts[0];
    /** Every server process stays reachable: a device may be sent to any of them. */
    const reachesEveryServer = () => d.serverPorts.every((port) => d.device.reaches(server, port));
    const execs = (path: string) => d.device.exec([process.execPath, '-e', EXEC_PROBE, path]).stdout.trim();
    /** Copies a binary to a new path on the device: same bytes, but no package owns it. */
    const untrustedCopy = async (from: string, to: string) => {
      await copyFile(d.device.path(from), d.device.path(to));
      await chmod(d.device.path(to), 0o755);
    };
    const settings = async () => (await d.api.call('GET', '/api/cordon/settings')).body as Record<string, unknown>;
    /** PUT replaces the whole document; a read one may be written back (read-only fields are ignored). */
    const putSettings = async (patch: Record<string, unknown>) => {
      const r = await d.api.call('PUT', '/api/cordon/settings', { ...(await settings()), ...patch });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    const succeeds = async (path: string, body: Record<string, unknown>, timeoutMs?: number) => {
      const a = await d.act(path, { Comment: `deployed ${path}`, ...body }, timeoutMs);
      expect(a.status, `${path}: ${String(a.errorMessage)}`).toBe('Succeeded');
      return a;
    };

    beforeAll(async () => {
      await d.start();
      await untrustedCopy('/usr/bin/true', '/tmp/copied-true');
    }, 180_000);
    afterAll(() => d.stop(), 60_000);

    it('should reach the server and the internet before any action', () => {
      expect(d.device.reaches(server, serverPort)).toBe(true);
      expect(d.device.reaches(internet, open)).toBe(true);
    });

    it('should isolate fully: internet cut, server kept, a package collected while isolated, still isolated after an agent restart', async () => {
      await succeeds('isolate', { IsolationType: 'Full' });
      expect(d.device.reaches(internet, open)).toBe(false);
      expect(reachesEveryServer()).toBe(true);
      expect((await d.machine()).isolationState).toBe('Isolated');
      await succeeds('collectInvestigationPackage', {}, 120_000);

      await d.stopAgent();
      await d.startAgent();
      expect(d.device.reaches(internet, open)).toBe(false);
      expect(reachesEveryServer()).toBe(true);
      expect((await d.machine()).isolationState).toBe('Isolated');
    }, 240_000);

    it('should release on Unisolate', async () => {
      await succeeds('unisolate', {});
      expect(d.device.reaches(internet, open)).toBe(true);
      expect((await d.machine()).isolationState).toBe('NotIsolated');
    }, 60_000);

    it('should let Selective isolation through to a tenant exception host:port, and nowhere else', async () => {
      await putSettings({ isolationExceptions: [`${internet}:${open}`] });
      await succeeds('isolate', { IsolationType: 'Selective' });
      expect(d.device.reaches(internet, open)).toBe(true);
      expect(d.device.reaches(internet, closed)).toBe(false);
      expect(d.device.reaches(server, serverPort)).toBe(true);
      await succeeds('unisolate', {});
      await putSettings({ isolationExceptions: [] });
      expect(d.device.reaches(internet, closed)).toBe(true);
    }, 90_000);

    it('should refuse an untrusted copy with EPERM and run package binaries while restricted; Unrestrict lifts it', async () => {
      expect(execs('/tmp/copied-true')).toBe('ran');
      await succeeds('restrictCodeExecution', {});
      expect(execs('/tmp/copied-true')).toBe('EPERM');
      expect(execs('/usr/bin/true')).toBe('ran');
      expect((await d.machine()).isRestricted).toBe(true);
      await succeeds('unrestrictCodeExecution', {});
      expect(execs('/tmp/copied-true')).toBe('ran');
      expect((await d.machine()).isRestricted).toBe(false);
    }, 120_000);

    /** What real clients send: an action and its opposite a second apart, three times over. */
    const race = async (on: string, off: string) => {
      for (let round = 0; round < 3; round++) {
        const first = await d.api.call('POST', `/api/machines/${d.machineId}/${on}`, { Comment: `race ${round}` });
        expect(first.status, JSON.stringify(first.body)).toBe(201);
        await sleep(1000);
        const second = await d.api.call('POST', `/api/machines/${d.machineId}/${off}`, { Comment: `race ${round}` });
        expect(second.status, JSON.stringify(second.body)).toBe(201);
        for (const id of [first.body.id, second.body.id]) {
          const a = await d.api.waitStatus(id, ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'], 60_000);
          expect(a.status, `${a.type} round ${round}: ${String(a.errorMessage)}`).toBe('Succeeded');
        }
      }
    };

    it('should end unrestricted after restrict→unrestrict a second apart, three times, every action Succeeded', async () => {
      await race('restrictCodeExecution', 'unrestrictCodeExecution');
      expect(execs('/tmp/copied-true')).toBe('ran');
      expect((await d.machine()).isRestricted).toBe(false);
    }, 240_000);

    it('should end released after isolate→unisolate a second apart, three times, every action Succeeded', async () => {
      await race('isolate', 'unisolate');
      expect(d.device.reaches(internet, open)).toBe(true);
      expect((await d.machine()).isolationState).toBe('NotIsolated');
    }, 240_000);

    it('should detect an EICAR file in a Quick location with no database downloaded and raise an alert', async () => {
      const databases = (await readdir(d.device.path('/var/lib/clamav')).catch(() => [])).filter((f) => /\.(cvd|cld)$/.test(f));
      expect(databases).toEqual([]);
      expect((await settings()).scanSignatures).toEqual({ hashes: [], yara: [] });
      const path = `/tmp/eicar-${d.id}.com`;
      await writeFile(d.device.path(path), EICAR);
      try {
        const scan = await succeeds('runAntiVirusScan', { ScanType: 'Quick' }, 180_000);
        const result = scan.result as { detectionCount: number; detections: { path: string }[] };
        expect(result.detectionCount).toBe(1);
        expect(result.detections.map((x) => x.path)).toEqual([path]);
        const alerts = await d.api.call('GET', `/api/alerts?$filter=machineId eq '${d.machineId}'`);
        expect(alerts.status).toBe(200);
        const fromScan = alerts.body.value.filter((a: { actionId?: string }) => a.actionId === scan.id);
        expect(fromScan).toHaveLength(1);
        expect(fromScan[0].evidence).toEqual([expect.objectContaining({ entityType: 'File', fileName: `eicar-${d.id}.com`, filePath: '/tmp', sha256: sha('sha256', EICAR) })]);
        const perMachine = await d.api.call('GET', `/api/machines/${d.machineId}/alerts`);
        expect(perMachine.status, JSON.stringify(perMachine.body)).toBe(200);
        expect(perMachine.body.value.map((a: { id: string }) => a.id)).toContain(fromScan[0].id);
      } finally {
        run(['rm', '-f', d.device.path(path)]);
      }
    }, 240_000);

    /**
     * What a Full scan may leave out here so it ends in seconds: the device's root is an overlay of
     * this machine's whole root filesystem (~25 GB), and these trees are nearly all of it. None
     * holds the planted file, and each is the tenant setting a real deployment would use for it.
     */
    const FULL_SCAN_EXCLUSIONS = [
      '/usr', // the OS and toolchains (~6 GB; package files)
      '/opt', // preinstalled SDKs (~8 GB)
      '/root', // root's caches: npm, browsers, toolchains (~6 GB)
      '/var', // package caches, logs, databases (~3 GB); the agent's state is excluded anyway
      '/work', // the source trees and node_modules of this workplace (~2 GB)
      '/farm', // this workplace's own tooling, not part of a device's system
    ];

    it('should find with a Full scan, honouring the tenant scan exclusions, an EICAR file a Quick scan does not cover', async () => {
      const dir = '/srv/share';
      const path = `${dir}/eicar-${d.id}.com`;
      const made = !(await stat(d.device.path(dir)).catch(() => undefined));
      await mkdir(d.device.path(dir), { recursive: true });
      await writeFile(d.device.path(path), EICAR);
      try {
        await putSettings({ scanExclusions: FULL_SCAN_EXCLUSIONS });
        expect((await settings()).scanExclusions).toEqual(FULL_SCAN_EXCLUSIONS);

        const quick = await succeeds('runAntiVirusScan', { ScanType: 'Quick' }, 180_000);
        expect((quick.result as { detections: { path: string }[] }).detections.map((x) => x.path)).not.toContain(path);

        const full = await succeeds('runAntiVirusScan', { ScanType: 'Full' }, 180_000);
        const result = full.result as { detectionCount: number; detections: { path: string }[]; excluded: string[]; targets: string[] };
        expect(result.excluded).toEqual(FULL_SCAN_EXCLUSIONS);
        expect(result.targets).toContain('/');
        expect(result.detections.map((x) => x.path), JSON.stringify(result)).toEqual([path]);
        expect(result.detectionCount).toBe(1);
        // The alert is raised just after the scan's final status is written (a reaction to it), so
        // a client may read Succeeded a moment before the alert exists.
        const fromScan = await waitFor('the scan alert', async () => {
          const alerts = await d.api.call('GET', `/api/alerts?$filter=machineId eq '${d.machineId}'`);
          expect(alerts.status).toBe(200);
          const found = alerts.body.value.filter((a: { actionId?: string }) => a.actionId === full.id);
          return found.length > 0 ? found : undefined;
        }, 10_000, 100);
        expect(fromScan).toHaveLength(1);
        expect(fromScan[0].evidence).toEqual([expect.objectContaining({ entityType: 'File', fileName: `eicar-${d.id}.com`, filePath: dir, sha256: sha('sha256', EICAR) })]);
        const perMachine = await d.api.call('GET', `/api/machines/${d.machineId}/alerts`);
        expect(perMachine.status, JSON.stringify(perMachine.body)).toBe(200);
        expect(perMachine.body.value.map((a: { id: string }) => a.id)).toContain(fromScan[0].id);
      } finally {
        run(['rm', '-f', d.device.path(path)]);
        if (made) run(['rmdir', d.device.path(dir)], { allowFail: true });
        // The tests after this one expect the settings they started from (no exclusions).
        await putSettings({ scanExclusions: [] });
      }
    }, 420_000);

    it('should stop a running copied binary and quarantine it; restore puts it back byte-identical with its mode', async () => {
      const path = '/tmp/evil-sleep';
      await untrustedCopy('/usr/bin/sleep', path);
      await chmod(d.device.path(path), 0o750);
      const original = await readFile(d.device.path(path));
      d.device.spawn([path, '600']);
      await waitFor('the copied binary to run', () => d.device.pidsRunning(path, '600').length === 1 || undefined, 10_000);
      const sha1 = sha('sha1', original);

      await succeeds('StopAndQuarantineFile', { Sha1: sha1 });
      await waitFor('the process to be gone', () => d.device.pidsRunning(path, '600').length === 0 || undefined, 10_000);
      await expect(stat(d.device.path(path))).rejects.toMatchObject({ code: 'ENOENT' });
      const held = await readdir(d.device.path(`/var/lib/cordon-agent/quarantine/${sha1}`));
      expect(held.length).toBeGreaterThan(0);

      await succeeds('restoreQuarantinedFile', { Sha1: sha1 });
      const back = await readFile(d.device.path(path));
      expect(back.equals(original)).toBe(true);
      expect((await stat(d.device.path(path))).mode & 0o7777).toBe(0o750);
    }, 120_000);

    it('should collect an investigation package whose link needs no Authorization and holds the documented folders', async () => {
      const a = await succeeds('collectInvestigationPackage', {}, 120_000);
      const uri = await d.api.call('GET', `/api/machineactions/${a.id}/getPackageUri`);
      expect(uri.status, JSON.stringify(uri.body)).toBe(200);
      const dl = await d.fetchLink(uri.body.value);
      expect(dl.status).toBe(200);
      const zip = `${d.dir}/package.zip`;
      await writeFile(zip, dl.body);
      const listing = run(['unzip', '-l', zip]).stdout;
      for (const folder of ['Autoruns/', 'Installed programs/', 'Network connections/', 'Processes/', 'Scheduled tasks/', 'Security event log/', 'Services/', 'SMB sessions/', 'System Information/', 'Temp Directories/', 'Users and Groups/']) {
        expect(listing).toContain(` ${folder}`);
      }
      expect(listing).toMatch(/ CollectionSummaryReport\.csv\n/);
    }, 180_000);

    it('should run live response: PutFile, RunScript with its output, GetFile byte-identical', async () => {
      const data = `data-${randomBytes(8).toString('hex')}\n`;
      expect((await d.upload(`data-${d.id}.txt`, data))).toBe(200);
      const script = `#!/bin/sh\necho "hello $1"\ncat data-${d.id}.txt\n`;
      expect((await d.upload(`hello-${d.id}.sh`, script, { HasParameters: 'true' }))).toBe(200);
      const evidence = randomBytes(4096);
      await writeFile(d.device.path('/tmp/evidence.bin'), evidence);
      const created = await d.api.call('POST', `/api/machines/${d.machineId}/runliveresponse`, {
        Comment: 'deployed live response',
        Commands: [
          { type: 'PutFile', params: [{ key: 'FileName', value: `data-${d.id}.txt` }] },
          { type: 'RunScript', params: [{ key: 'ScriptName', value: `hello-${d.id}.sh` }, { key: 'Args', value: 'world' }] },
          { type: 'GetFile', params: [{ key: 'Path', value: '/tmp/evidence.bin' }] },
        ],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const done = await d.api.waitStatus(created.body.id, ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'], 60_000);
      expect(done.status, String(done.errorMessage)).toBe('Succeeded');
      const link = async (index: number) => {
        const r = await d.api.call('GET', `/api/machineactions/${created.body.id}/GetLiveResponseResultDownloadLink(index=${index})`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return d.fetchLink(r.body.value);
      };
      const transcript = JSON.parse((await link(1)).body.toString());
      expect(transcript).toEqual({ script_name: `hello-${d.id}.sh`, exit_code: 0, script_output: `hello world\n${data}`, script_errors: '' });
      expect((await link(2)).body.equals(evidence)).toBe(true);
    }, 120_000);

    it('should kill a running script when its live response is cancelled', async () => {
      const marker = `cordon-deployed-${d.id}`;
      expect((await d.upload(`long-${d.id}.sh`, `#!/bin/sh\nexec sleep 300 # ${marker}\n`))).toBe(200);
      const created = await d.api.call('POST', `/api/machines/${d.machineId}/runliveresponse`, {
        Comment: 'deployed cancel',
        Commands: [{ type: 'RunScript', params: [{ key: 'ScriptName', value: `long-${d.id}.sh` }] }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const sleeping = () => d.device.pidsRunning('sleep', '300');
      await waitFor('the script to run on the device', () => (sleeping().length > 0 ? true : undefined), 30_000, 200);
      const cancel = await d.api.call('POST', `/api/machineactions/${created.body.id}/cancel`, { Comment: 'stop it' });
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
      expect((await d.api.waitStatus(created.body.id, ['Cancelled', 'Succeeded', 'Failed'])).status).toBe('Cancelled');
      await waitFor('the script process to be gone', () => (sleeping().length === 0 ? true : undefined), 15_000, 200);
    }, 90_000);

    liveConsoleCases(d);

    it('should keep restriction (with its allow-list) and isolation across reboots while the server is unreachable', async () => {
      await untrustedCopy('/usr/bin/true', '/tmp/allowed-true');
      await untrustedCopy('/usr/bin/false', '/tmp/untrusted-false');
      await putSettings({ executionAllowList: ['/tmp/allowed-true'] });
      await succeeds('restrictCodeExecution', {});
      expect(execs('/tmp/allowed-true')).toBe('ran');
      expect(execs('/tmp/untrusted-false')).toBe('EPERM');

      try {
        await d.reboot({ serverReachable: false });
        await waitFor('the guard to be back', () => (execs('/tmp/untrusted-false') === 'EPERM' ? true : undefined), 30_000, 250);
        expect(execs('/tmp/allowed-true')).toBe('ran');
      } finally {
        d.setServerLink('up');
      }
      await waitFor('the agent to reconnect', () => d.agent!.output().includes('"msg":"connected"') || undefined, 60_000, 200);

      await succeeds('isolate', { IsolationType: 'Full' });
      try {
        await d.reboot({ serverReachable: false });
        await waitFor('isolation to be back', () => (!d.device.reaches(internet, open) ? true : undefined), 30_000, 250);
        expect(execs('/tmp/untrusted-false')).toBe('EPERM');
      } finally {
        d.setServerLink('up');
      }
      await waitFor('the agent to reconnect', () => d.agent!.output().includes('"msg":"connected"') || undefined, 60_000, 200);
      expect(d.device.reaches(server, serverPort)).toBe(true);
      expect((await d.machine()).isolationState).toBe('Isolated');
      await succeeds('unisolate', {});
      await succeeds('unrestrictCodeExecution', {});
      await putSettings({ executionAllowList: [] });
      expect(d.device.reaches(internet, open)).toBe(true);
      expect(execs('/tmp/untrusted-false')).toBe('ran');
    }, 300_000);

    it('should hold back remediation under remediationLevel None, and quarantine the file once an analyst approves', async () => {
      const path = '/tmp/approve-sleep';
      await untrustedCopy('/usr/bin/sleep', path);
      const sha1 = sha('sha1', await readFile(d.device.path(path)));
      d.device.spawn([path, '900']);
      await waitFor('the copied binary to run', () => d.device.pidsRunning(path, '900').length === 1 || undefined, 10_000);
      await putSettings({ remediationLevel: 'None' });
      const quarantined: string[] = [];
      try {
        const started = await d.api.call('POST', `/api/machines/${d.machineId}/startInvestigation`, { Comment: 'deployed approval' });
        expect(started.status, JSON.stringify(started.body)).toBe(201);
        const get = async () => (await d.api.call('GET', `/api/investigations/${started.body.id}`)).body;
        const pending = await waitFor('the investigation to decide', async () => { const i = await get(); return i.state !== 'Running' ? i : undefined; }, 240_000, 500);
        expect(pending.state, pending.statusDetails).toBe('PendingApproval');
        expect(pending.remediationActionIds).toEqual([]);
        expect(pending.findings.map((f: { evidence: { sha1: string | null; filePath: string | null } }) => f.evidence)).toContainEqual(expect.objectContaining({ sha1, filePath: path }));
        // Held back: the process still runs and the file is in place.
        expect(d.device.pidsRunning(path, '900')).toHaveLength(1);
        expect((await stat(d.device.path(path))).isFile()).toBe(true);

        const approved = await d.api.call('POST', `/api/investigations/${started.body.id}/approve`, { Comment: 'deployed: miner confirmed' });
        expect(approved.status, JSON.stringify(approved.body)).toBe(200);
        expect(approved.body).toMatchObject({ decision: 'Approved', decisionComment: 'deployed: miner confirmed' });
        quarantined.push(...new Set<string>(pending.findings.map((f: { evidence: { sha1: string | null } }) => f.evidence.sha1).filter((s: string | null) => s !== null)));
        const done = await waitFor('the approved remediation to end', async () => { const i = await get(); return i.state !== 'Running' ? i : undefined; }, 120_000, 500);
        expect(['SuccessfullyRemediated', 'PartiallyRemediated'], done.statusDetails).toContain(done.state);
        // Checked from outside the agent: the process is gone, the file moved into quarantine.
        await waitFor('the process to be gone', () => d.device.pidsRunning(path, '900').length === 0 || undefined, 10_000);
        await expect(stat(d.device.path(path))).rejects.toMatchObject({ code: 'ENOENT' });
        expect((await readdir(d.device.path(`/var/lib/cordon-agent/quarantine/${sha1}`))).length).toBeGreaterThan(0);
      } finally {
        await putSettings({ remediationLevel: 'Full' });
        // Anything else the approval quarantined goes back, so the tests after this one find the device as it was.
        for (const other of quarantined.filter((s) => s !== sha1)) await d.act('restoreQuarantinedFile', { Comment: 'deployed: undo approval side effects', Sha1: other }, 60_000);
      }
    }, 480_000);

    it('should lift isolation and restriction on Offboard, stop the agent, and refuse its credential afterwards', async () => {
      const identity = JSON.parse((await readFile(d.device.path('/var/lib/cordon-agent/identity.json'))).toString()) as { machineId: string; privateJwk: Record<string, unknown> };
      // Signed with the device's own key, as the agent signs (docs/agent-protocol.md): the same
      // request is answered before the Offboard and refused after it.
      const key = createPrivateKey({ key: identity.privateJwk as never, format: 'jwk' });
      const asDevice = (path: string) => {
        const timestamp = String(Date.now());
        const nonce = randomBytes(16).toString('hex');
        const text = canonicalRequestText({ method: 'GET', path, machineId: identity.machineId, timestamp, nonce, bodySha256: sha('sha256', '') });
        return d.send('GET', path, {
          [AGENT_AUTH_HEADERS.machineId]: identity.machineId,
          [AGENT_AUTH_HEADERS.timestamp]: timestamp,
          [AGENT_AUTH_HEADERS.nonce]: nonce,
          [AGENT_AUTH_HEADERS.signature]: sign(null, Buffer.from(text), key).toString('base64'),
        });
      };
      const libraryFile = `/agent/v1/library/offboard-${d.id}.txt`;
      expect(await d.upload(`offboard-${d.id}.txt`, 'x')).toBe(200);
      expect((await asDevice(libraryFile)).status).toBe(200);

      await succeeds('isolate', { IsolationType: 'Full' });
      await succeeds('restrictCodeExecution', {});
      expect(d.device.reaches(internet, open)).toBe(false);
      expect(execs('/tmp/copied-true')).toBe('EPERM');

      await succeeds('offboard', {});
      expect(await d.agentExit()).toBe(OFFBOARDED_EXIT_CODE); // so systemd does not restart it
      expect(d.device.reaches(internet, open)).toBe(true);
      expect(execs('/tmp/copied-true')).toBe('ran');
      expect((await asDevice(libraryFile)).status).toBe(401);
    }, 120_000);
  });
}
