/**
 * Settings survive a reboot, end to end and privileged: a real server and a real agent (Linux
 * platform) restrict code execution with the tenant's allow-list; then the agent and its exec guard
 * stop (a reboot) and the agent starts again with the server down. Its restore must re-apply the
 * restriction with the tenant's allow-list it kept: the allow-listed binary runs, an untrusted copy
 * gets EPERM. The agent runs in a private mount namespace (`unshare -m`), so its fanotify marks
 * never reach the host; probes run in that namespace (`nsenter -m`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from '../packages/agent/test/privileged/helpers.js';
import { killAll, machineIdOf, NODE_ARGS, ROOT, startTestServer, stop, waitFor, type Api, type Proc } from './support/cluster.js';

const skip = skipReason('restriction after restart (fanotify in a mount namespace)', ['unshare', 'nsenter', 'cc']);

describe.skipIf(skip)('code execution restriction after an agent restart with the server down', () => {
  let dir: string;
  let state: string;
  let server: Proc;
  let api: Api;
  let agent: { child: ChildProcess; output: () => string; exited: Promise<void> } | undefined;
  const bin = { allowed: '', untrusted: '' };
  const observed: Record<string, unknown> = {};

  /** The agent, as a device would run it, in a mount namespace of its own. */
  const startAgent = (extra: string[] = []) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', process.execPath, ...NODE_ARGS, 'agent', '--state', state, '--name', 'restricted-host', ...extra], {
      cwd: ROOT,
      env: { ...process.env, CORDON_AGENT_BACKOFF_MIN_MS: '100', CORDON_AGENT_BACKOFF_MAX_MS: '500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    agent = { child, output: () => out, exited };
    return agent;
  };
  const stopAgent = async () => {
    if (!agent || agent.child.exitCode !== null || agent.child.signalCode !== null) return;
    agent.child.kill('SIGTERM');
    const timer = setTimeout(() => agent?.child.kill('SIGKILL'), 10_000);
    await agent.exited;
    clearTimeout(timer);
  };
  const guardPid = async () => (JSON.parse(await readFile(join(state, 'restriction.json'), 'utf8')) as { pid: number }).pid;
  const killGuard = async () => {
    const pid = await guardPid().catch(() => undefined);
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return; // already gone
    }
    await waitFor('the exec guard to exit', () => (spawnSync('kill', ['-0', String(pid)]).status !== 0 ? true : undefined), 10_000);
  };
  /** Runs `path` in the agent's mount namespace: what the restriction lets run there. */
  const tryRun = (path: string) => {
    const r = spawnSync('nsenter', ['-t', String(agent!.child.pid), '-m', path], { encoding: 'utf8' });
    if (r.status === 0) return 'exit 0';
    return /Operation not permitted/.test(r.stderr) ? 'EPERM' : `exit ${r.status}: ${r.stderr.trim()}`;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-restart-'));
    state = join(dir, 'agent');
    const started = await startTestServer(dir);
    ({ api } = started);
    server = started.proc;

    // Two copies of `true` with distinct contents (a suffix after the ELF image does not stop it running).
    await mkdir(join(dir, 'bin'));
    for (const name of ['allowed', 'untrusted'] as const) {
      bin[name] = join(dir, 'bin', name);
      await copyFile('/usr/bin/true', bin[name]);
      await appendFile(bin[name], `cordon-${name}`);
    }
    const put = await api.call('PUT', '/api/cordon/settings', { executionAllowList: [bin.allowed] });
    expect(put.status).toBe(200);

    await started.onboardingPackage(join(dir, 'onboarding.json'));
    const first = startAgent(['--onboarding', join(dir, 'onboarding.json')]);
    await waitFor('the agent to connect', () => first.output().includes('"msg":"connected"') || undefined, 60_000);
    const machineId = await machineIdOf(state);

    const restrict = await api.call('POST', `/api/machines/${machineId}/restrictCodeExecution`, { Comment: 'e2e restart' });
    expect(restrict.status).toBe(201);
    observed.restrict = (await api.waitStatus(restrict.body.id, ['Succeeded', 'Failed'], 60_000)).status;
    observed.whileConnected = { allowed: tryRun(bin.allowed), untrusted: tryRun(bin.untrusted) };

    // A reboot with the server down: the server stops, the agent and its guard die.
    await stop(server);
    await stopAgent();
    await killGuard();
    const second = startAgent();
    await waitFor('the restriction to be re-applied', () => second.output().includes('code execution restriction re-applied on start') || undefined, 60_000);
    observed.afterRestart = { allowed: tryRun(bin.allowed), untrusted: tryRun(bin.untrusted) };
    observed.serverReached = second.output().includes('"msg":"connected"');
  }, 240_000);

  afterAll(async () => {
    await stopAgent();
    if (state) await killGuard();
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should restrict with the tenant allow-list while connected', () => {
    expect(observed.restrict).toBe('Succeeded');
    expect(observed.whileConnected).toEqual({ allowed: 'exit 0', untrusted: 'EPERM' });
  });

  it('should re-apply the restriction with the kept allow-list when the server is unreachable at start', () => {
    expect(observed.serverReached).toBe(false);
    expect(observed.afterRestart).toEqual({ allowed: 'exit 0', untrusted: 'EPERM' });
  });

  it('should keep the settings and build its exec guard under its state directory', async () => {
    expect((await stat(join(state, 'settings.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(state, 'settings.json'), 'utf8')).settings.executionAllowList).toEqual([bin.allowed]);
    expect((await stat(join(state, 'tools', 'cordon-exec-guard'))).isFile()).toBe(true);
  });
});
