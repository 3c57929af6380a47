/**
 * The packaged agent on a device, against a real server: an administrator asks the server for an
 * agent package (POST /api/cordon/agentPackages), the device downloads the .deb the server builds,
 * unpacks it (dpkg-deb -x, into a temp directory) and runs the packaged executable, not the
 * repository's code. Isolate, scan and collect then run through it, and offboarding makes it exit
 * with the status the unit does not restart, isolation lifted.
 *
 * The server runs in one network namespace, the device in another (a veth pair between them).
 * The agent also gets its own mount and PID namespaces whose /mnt, /tmp, /var/tmp, /root, /home,
 * /dev/shm and /dev/pts are empty tmpfs (nothing is created on this host's file system): its scan sees only the planted file, and its notices reach no
 * terminal of this host. Needs root, ip, unshare, curl, nft, unzip and dpkg-deb, and `npm run build`
 * plus `npm run build:agent` (npm test runs both).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, waitFor } from './support/cluster.js';
import { skipUnlessAble } from './support/require-privileged.js';

const suffix = Math.random().toString(36).slice(2, 8);
const SERVER_NS = `cordon-ps-${suffix}`;
const DEVICE_NS = `cordon-pd-${suffix}`;
const SERVER_ADDRESS = '10.78.0.1';
const DEVICE_ADDRESS = '10.78.0.2';
const PORT = 8080;
/** Another listener on the server machine: reachable before isolation, not during it. */
const OTHER_PORT = 9090;
const BASE = `http://${SERVER_ADDRESS}:${PORT}`;

const isRoot = process.getuid?.() === 0;
const tools = ['ip', 'unshare', 'curl', 'nft', 'unzip', 'dpkg-deb'];
const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const artifact = join(ROOT, 'packages/agent/artifact/manifest.json');
const skip = skipUnlessAble(
  'packaged agent',
  !isRoot ? 'needs root for the network, mount and PID namespaces' : missing.length > 0 ? `missing ${missing.join(', ')}` : undefined,
);

function sh(cmd: string): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
}

/** Runs in a namespace and returns status and stdout. */
function inNs(ns: string, argv: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Whether the device can open a TCP connection to the server machine's port. */
function deviceReaches(port: number): boolean {
  return inNs(DEVICE_NS, ['curl', '-s', '-o', '/dev/null', '--max-time', '3', `http://${SERVER_ADDRESS}:${port}/`]).status === 0;
}

describe.skipIf(skip)('the packaged agent on a device', () => {
  let work: string;
  let token = '';
  let machineId = '';
  const children: ChildProcess[] = [];
  let agent: ChildProcess;
  let agentOutput = '';
  let agentExit: Promise<number | null>;
  const evil = randomBytes(4096);

  /** The MDE API from the server machine (the test's host has no route into the namespaces). */
  function api(method: string, path: string, body?: unknown): { status: number; body: any } { 
    const args = ['curl', '-s', '-o', '-', '-w', '\n%{http_code}', '-X', method, '-H', `authorization: Bearer ${token}`];
    if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(body));
    const r = inNs(SERVER_NS, [...args, `${BASE}${path}`]);
    const at = r.stdout.lastIndexOf('\n');
    const text = r.stdout.slice(0, at);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: Number(r.stdout.slice(at + 1)), body: parsed };
  }

  async function runAction(path: string, body: Record<string, unknown>): Promise<{ id: string; status: string }> {
    const created = api('POST', `/api/machines/${machineId}/${path}`, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await waitFor(`${path} to finish`, () => {
      const a = api('GET', `/api/machineactions/${created.body.id}`).body as { id: string; status: string };
      return ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'].includes(a.status) ? a : undefined;
    }, 120_000, 500);
    if (done.status !== 'Succeeded') console.error(`${path}: ${JSON.stringify(done)}; the agent said:\n${agentOutput.slice(-3000)}`);
    return done;
  }

  beforeAll(async () => {
    if (!existsSync(artifact)) throw new Error('no agent artifact: run `npm run build:agent` first');
    work = mkdtempSync(join(tmpdir(), 'cordon-packaged-agent-'));
    sh(`ip netns add ${SERVER_NS} && ip netns add ${DEVICE_NS}`);
    sh(`ip link add ps${suffix} netns ${SERVER_NS} type veth peer name pd${suffix} netns ${DEVICE_NS}`);
    sh(`ip -n ${SERVER_NS} addr add ${SERVER_ADDRESS}/30 dev ps${suffix} && ip -n ${SERVER_NS} link set ps${suffix} up && ip -n ${SERVER_NS} link set lo up`);
    sh(`ip -n ${DEVICE_NS} addr add ${DEVICE_ADDRESS}/30 dev pd${suffix} && ip -n ${DEVICE_NS} link set pd${suffix} up && ip -n ${DEVICE_NS} link set lo up`);

    const server = spawn('ip', ['netns', 'exec', SERVER_NS, process.execPath, join(ROOT, 'packages/cli/dist/main.js'), 'server'], {
      env: { ...process.env, CORDON_DATA: join(work, 'server'), CORDON_HOST: '0.0.0.0', CORDON_PORT: String(PORT), CORDON_PUBLIC_URL: BASE, CORDON_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    let serverOutput = '';
    server.stdout!.on('data', (b: Buffer) => (serverOutput += b.toString()));
    server.stderr!.on('data', (b: Buffer) => (serverOutput += b.toString()));
    await waitFor('the server', () => serverOutput.includes('listening on') || undefined, 60_000);
    const other = spawn('ip', ['netns', 'exec', SERVER_NS, process.execPath, '-e', `require('http').createServer((q, s) => s.end('other')).listen(${OTHER_PORT})`], { stdio: 'ignore' });
    children.push(other);

    const creds = JSON.parse(readFileSync(join(work, 'server/credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
    const form = new URLSearchParams({ client_id: creds.clientId, client_secret: creds.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' });
    token = JSON.parse(inNs(SERVER_NS, ['curl', '-s', '--data', form.toString(), `${BASE}/${creds.tenantId}/oauth2/v2.0/token`]).stdout).access_token;
    expect(token).toBeTruthy();
    // The tenant's scan signature: the planted file's hash (matched by the agent's hash scanner).
    const settings = api('PUT', '/api/cordon/settings', { scanSignatures: { hashes: [`${createHash('sha256').update(evil).digest('hex')}:4096:Cordon.Test.Packaged`] } });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  }, 180_000);

  afterAll(async () => {
    const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
    const exited = children.filter(running).map((c) => new Promise((r) => c.once('exit', r)));
    // unshare --fork ignores SIGTERM while its child runs; SIGKILL ends it and --kill-child then
    // sends the agent SIGTERM, so the agent still stops as a service manager would stop it.
    for (const child of children.reverse()) if (running(child)) child.kill(child === agent ? 'SIGKILL' : 'SIGTERM');
    await Promise.all(exited);
    spawnSync('ip', ['netns', 'del', SERVER_NS]);
    spawnSync('ip', ['netns', 'del', DEVICE_NS]);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('should enroll from the .deb the server builds for a fresh enrollment secret', async () => {
    const created = api('POST', '/api/cordon/agentPackages', { maxUses: 1, expiresInHours: 1 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The device fetches the package itself, as the installer does.
    const deb = join(work, 'cordon-agent.deb');
    const fetched = inNs(DEVICE_NS, ['curl', '-fsS', '-o', deb, created.body.debUrl]);
    expect(fetched.status, fetched.stderr).toBe(0);
    const root = join(work, 'device-package');
    sh(`dpkg-deb -x ${deb} ${root}`);
    mkdirSync(join(work, 'device-state'), { mode: 0o700 });
    const planted = join(work, 'dropper.bin');
    writeFileSync(planted, evil);

    // The device's mounts: its own /mnt holding the work directory (bound before /tmp, its parent
    // here, is covered), then empty temp and home directories with the scan's one finding.
    const setup = [
      'set -e',
      'mount -t tmpfs cordon-device-mnt /mnt',
      'mkdir /mnt/device',
      `mount --bind ${work} /mnt/device`,
      'for d in /tmp /var/tmp /root /home /dev/shm /dev/pts; do if [ -d "$d" ]; then mount -t tmpfs cordon-device "$d"; fi; done',
      'cp /mnt/device/dropper.bin /tmp/dropper.bin',
      // A device without a C compiler: the exec guard must be the package's prebuilt helper.
      'for c in /usr/bin/cc /usr/bin/gcc; do if [ -e "$c" ]; then mount --bind /dev/null "$c"; fi; done',
      'exec /mnt/device/device-package/usr/bin/cordon-agent --onboarding /mnt/device/device-package/etc/cordon/onboarding.json --state /mnt/device/device-state --name packaged-device',
    ].join('\n');
    agent = spawn('ip', ['netns', 'exec', DEVICE_NS, 'unshare', '-m', '-p', '--fork', '--mount-proc', '--kill-child=SIGTERM', '--propagation', 'private', 'sh', '-c', setup], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(agent);
    agent.stdout!.on('data', (b: Buffer) => (agentOutput += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOutput += b.toString()));
    agentExit = new Promise((r) => agent.once('exit', (code) => r(code)));
    machineId = await waitFor('the agent to enroll', () => /Cordon agent running as machine ([0-9a-f]{40})/.exec(agentOutput)?.[1], 60_000);
    // The running program is the package's single executable, not node with the repository.
    const exe = sh(`readlink /proc/$(pgrep -f '^/mnt/device/device-package/usr/bin/cordon-agent ' | head -1)/exe`).trim();
    expect(exe).toMatch(/\/device-package\/usr\/lib\/cordon-agent\/cordon-agent$/);
    // With no compiler on the device, fanotify restriction is available only through the helper
    // installed beside the executable.
    expect(agentOutput).toContain('"fanotify":true');
    await waitFor('the machine to report in', () => (api('GET', `/api/machines/${machineId}`).body.agentVersion ? true : undefined), 30_000, 500);
    expect(api('GET', `/api/machines/${machineId}`).body).toMatchObject({ computerDnsName: 'packaged-device', agentVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  }, 240_000);

  it('should isolate the device but for the server, and release it', async () => {
    expect(deviceReaches(OTHER_PORT)).toBe(true);
    expect((await runAction('isolate', { Comment: 'packaged', IsolationType: 'Full' })).status).toBe('Succeeded');
    expect(inNs(DEVICE_NS, ['nft', 'list', 'tables']).stdout).toMatch(/cordon/);
    expect(deviceReaches(OTHER_PORT)).toBe(false);
    expect(deviceReaches(PORT)).toBe(true);
    expect((await runAction('unisolate', { Comment: 'packaged' })).status).toBe('Succeeded');
    expect(deviceReaches(OTHER_PORT)).toBe(true);
  }, 300_000);

  it("should scan with the tenant's signature and raise an alert for the planted file", async () => {
    expect((await runAction('runAntiVirusScan', { Comment: 'packaged', ScanType: 'Quick' })).status).toBe('Succeeded');
    const alerts = api('GET', `/api/machines/${machineId}/alerts`).body as { value: { threatName: string | null; title: string }[] };
    expect(alerts.value.map((a) => a.threatName ?? a.title).join(' ')).toContain('Cordon.Test.Packaged');
  }, 300_000);

  it('should collect an investigation package that downloads as a zip', async () => {
    const action = await runAction('collectInvestigationPackage', { Comment: 'packaged' });
    expect(action.status).toBe('Succeeded');
    const link = api('GET', `/api/machineactions/${action.id}/getPackageUri`).body as { value: string };
    const zip = join(work, 'package.zip');
    expect(inNs(SERVER_NS, ['curl', '-fsS', '-o', zip, link.value]).status).toBe(0);
    expect(sh(`unzip -l ${zip}`)).toContain('Processes/');
  }, 300_000);

  it('should exit with the offboarded status after an offboard, leaving no isolation and the marker the unit honours', async () => {
    expect((await runAction('isolate', { Comment: 'before offboard', IsolationType: 'Full' })).status).toBe('Succeeded');
    const off = api('POST', `/api/machines/${machineId}/offboard`, { Comment: 'packaged' });
    expect([200, 201]).toContain(off.status);
    expect(await agentExit).toBe(3);
    expect(existsSync(join(work, 'device-state/offboarded'))).toBe(true);
    expect(inNs(DEVICE_NS, ['nft', 'list', 'tables']).stdout).not.toMatch(/cordon/);
    expect(deviceReaches(OTHER_PORT)).toBe(true);
  }, 300_000);
});
