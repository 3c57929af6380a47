/**
 * `cordon live shell` piped, end to end: a real server process, a real agent process, and the CLI
 * reading command lines from stdin as `printf '…' | cordon live shell <machine>` does. What the
 * commands printed is compared with the machine's own files; the session is closed afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, freePort, killAll, NODE_ARGS, ROOT, runCordon, spawnCordon, waitFor } from './support/cluster.js';

const HOST = 'shell-e2e-host';

describe('cordon live shell, piped, against a real server and agent', () => {
  let dir: string;
  let api: Api;
  let cliEnv: Record<string, string>;
  let machineId = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-shell-'));
    const port = await freePort();
    const serverEnv = {
      CORDON_DATA: join(dir, 'server'),
      CORDON_PORT: String(port),
      CORDON_LOG_LEVEL: 'warn',
      CORDON_HEARTBEAT_SECONDS: '1',
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
    };
    const server = spawnCordon(['server'], serverEnv);
    await waitFor('server to listen', () => server.output().includes('listening on') || undefined, 30_000);
    const base = `http://127.0.0.1:${port}`;
    api = new Api(base);
    await api.login(join(dir, 'server', 'credentials.json'));
    const creds = JSON.parse(await readFile(join(dir, 'server', 'credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
    cliEnv = { CORDON_PROFILE: join(dir, 'no-profile.json'), CORDON_SERVER: base, CORDON_TENANT: creds.tenantId, CORDON_CLIENT_ID: creds.clientId, CORDON_CLIENT_SECRET: creds.clientSecret };
    const pkg = await runCordon(['onboarding-package'], serverEnv);
    expect(pkg.code).toBe(0);
    const onboarding = join(dir, 'onboarding.json');
    await writeFile(onboarding, pkg.stdout);
    const agent = spawnCordon(['agent', '--state', join(dir, 'agent'), '--platform', 'fake', '--name', HOST, '--onboarding', onboarding], { CORDON_AGENT_BACKOFF_MIN_MS: '100', CORDON_AGENT_BACKOFF_MAX_MS: '1000' });
    await waitFor('agent to connect', () => {
      if (agent.child.exitCode !== null) throw new Error(`agent exited: ${agent.output()}`);
      return agent.output().includes('"msg":"connected"') || undefined;
    }, 120_000);
    machineId = ((await api.call('GET', '/api/machines')).body.value as Array<{ id: string }>)[0]!.id;
  }, 240_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `printf stdin | cordon live shell …args`: its exit code, stdout and stderr. */
  const shell = (stdin: string, args: string[] = [], whileRunning?: (child: ChildProcess) => Promise<void>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [...NODE_ARGS, 'live', 'shell', HOST, ...args], { cwd: ROOT, env: { ...process.env, ...cliEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      if (whileRunning) {
        child.stdin.write(stdin);
        whileRunning(child).catch(reject);
      } else child.stdin.end(stdin);
    });
  const activeSessions = async () => {
    const res = await api.call('GET', `/api/cordon/liveresponse/sessions?machineId=${machineId}&state=Active`);
    expect(res.status).toBe(200);
    return (res.body.value ?? res.body) as unknown[];
  };

  it('should run each piped command in order, print its output, exit 0 and close the session', async () => {
    const res = await shell('processes\nfileinfo /etc/hostname\nexit\n');
    expect(res.stderr).toBe('');
    expect(res.code, res.stderr).toBe(0);
    const hostname = await readFile('/etc/hostname');
    const sha256 = createHash('sha256').update(hostname).digest('hex');
    // The process list comes first, then fileinfo's hashes of the file.
    expect(res.stdout.indexOf(sha256)).toBeGreaterThan(0);
    expect(res.stdout.slice(0, res.stdout.indexOf(sha256))).toMatch(/\bnode\b/);
    expect(await activeSessions()).toEqual([]);
  }, 120_000);

  it('should print an unknown command’s refusal to stderr, run the next line, and exit non-zero', async () => {
    const res = await shell('frobnicate now\nfileinfo /etc/hostname\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Unknown command 'frobnicate'. Type help to list the commands");
    expect(res.stdout).toContain('/etc/hostname');
    expect(await activeSessions()).toEqual([]);
  }, 120_000);

  it('should print one JSON object per command with --json: the command, its output and its table', async () => {
    const res = await shell('dir /etc\nhelp\n', ['--json']);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { command: string; commandLine: string; status: string; output: string; table: { columns: string[]; rows: unknown[][] } | null });
    expect(lines.map((l) => [l.commandLine, l.status])).toEqual([
      ['dir /etc', 'Completed'],
      ['help', 'Completed'],
    ]);
    const name = lines[0]!.table!.columns.indexOf('name');
    expect(lines[0]!.table!.rows.some((r) => r[name] === 'hostname')).toBe(true);
    expect(lines[1]!.output).toContain('getfile');
  }, 120_000);

  it('should close the session when interrupted while a command runs, and exit 130', async () => {
    const res = await shell('findfile no-such-file-anywhere-* -root /\n', [], async (child) => {
      // Interrupted once the device is running the search (a whole-disk walk, far from done).
      await waitFor('the search to run', async () => {
        const [session] = (await activeSessions()) as Array<{ id: string }>;
        if (!session) return undefined;
        const commands = (await api.call('GET', `/api/cordon/liveresponse/sessions/${session.id}/commands`)).body.value as Array<{ status: string }>;
        return commands.some((c) => c.status === 'Running') || undefined;
      }, 30_000, 100);
      child.kill('SIGINT');
    });
    expect(res.code).toBe(130);
    expect(await activeSessions()).toEqual([]);
  }, 120_000);

  it('should save a getfile result into --output-dir', async () => {
    const out = await mkdtemp(join(dir, 'evidence-'));
    const res = await shell('getfile /etc/hostname\n', ['--output-dir', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(await readFile(join(out, 'hostname'), 'utf8')).toBe(await readFile('/etc/hostname', 'utf8'));
  }, 120_000);
});
