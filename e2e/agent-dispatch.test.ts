/**
 * Dispatch end to end: a real server process (self-signed TLS, SQLite) and two real agent processes
 * on the fake platform, over real sockets. Actions are created through the public API and watched
 * to every final status, across a server restart, an agent restart mid-action, a cancel racing a
 * completion, an offline agent, and offboarding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, freePort, killAll, runCordon, spawnCordon, stop, waitFor, type Proc } from './support/cluster.js';
import { OFFBOARDED_EXIT_CODE } from '@cordon/agent';
import { ACTION_TYPES } from '@cordon/protocol';

const ALL_BUT_ISOLATE = ACTION_TYPES.filter((t) => t !== 'Isolate').join(',');

describe('agent dispatch end to end', () => {
  let dir: string;
  let port: number;
  let serverEnv: Record<string, string>;
  let server: Proc;
  let api: Api;
  const agents: Record<'a' | 'b', { proc?: Proc; state: string; env: Record<string, string>; machineId: string }> = {
    a: { state: '', env: {}, machineId: '' },
    b: { state: '', env: {}, machineId: '' },
  };

  const startServer = async () => {
    server = spawnCordon(['server'], serverEnv);
    await waitFor('server to listen', () => server.output().includes('listening on') || undefined, 30_000);
  };
  const startAgent = async (name: 'a' | 'b', onboarding?: string) => {
    const a = agents[name];
    a.proc = spawnCordon(['agent', '--state', a.state, '--platform', 'fake', '--name', `agent-${name}`, ...(onboarding ? ['--onboarding', onboarding] : [])], a.env);
    await waitFor(`agent ${name} to connect`, () => (a.proc!.output().match(/"msg":"connected"/g)?.length ?? 0) > 0 || undefined, 30_000);
  };
  const runs = async (name: 'a' | 'b') =>
    (await readFile(join(agents[name].state, 'fake-runs.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: string; actionId: string });
  const post = async (machine: string, segment: string, body: Record<string, unknown> = {}) => {
    const r = await api.call('POST', `/api/machines/${machine}/${segment}`, { Comment: `e2e ${segment}`, ...body });
    if (r.status >= 300) throw new Error(`${segment}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string; status: string };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-'));
    port = await freePort();
    serverEnv = {
      CORDON_DATA: join(dir, 'server'),
      CORDON_PORT: String(port),
      CORDON_TLS_SELF_SIGNED: '1',
      CORDON_LOG_LEVEL: 'warn',
      CORDON_ACTION_EXPIRY_SECONDS: '8',
      CORDON_REAPER_INTERVAL_SECONDS: '1',
      CORDON_HEARTBEAT_SECONDS: '1',
      CORDON_INACTIVE_AFTER_SECONDS: '10',
      CORDON_HEALTH_CHECK_SECONDS: '1',
      // The test polls action status; MDE's 100 calls/minute would throttle it.
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
    };
    await startServer();
    api = new Api(`https://127.0.0.1:${port}`);
    await api.login(join(dir, 'server', 'credentials.json'));
    const common = { CORDON_AGENT_BACKOFF_MIN_MS: '100', CORDON_AGENT_BACKOFF_MAX_MS: '1000', CORDON_FAKE_DELAY_MS: '150' };
    agents.a.env = { ...common, CORDON_FAKE_DELAYS: JSON.stringify({ RunAntiVirusScan: 4000 }), CORDON_FAKE_FAIL: 'CollectInvestigationPackage' };
    agents.b.env = { ...common, CORDON_FAKE_CAPABILITIES: ALL_BUT_ISOLATE, CORDON_FAKE_DELAYS: JSON.stringify({ Unisolate: 400 }) };
    for (const name of ['a', 'b'] as const) {
      agents[name].state = join(dir, `agent-${name}`);
      const pkg = await runCordon(['onboarding-package'], serverEnv);
      expect(pkg.code).toBe(0);
      await writeFile(join(dir, `onboarding-${name}.json`), pkg.stdout);
      await startAgent(name, join(dir, `onboarding-${name}.json`));
      agents[name].machineId = (JSON.parse(await readFile(join(agents[name].state, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
    }
  }, 120_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should list both enrolled machines as Active and Onboarded with their reported fields', async () => {
    const r = await api.call('GET', '/api/machines');
    expect(r.status).toBe(200);
    for (const name of ['a', 'b'] as const) {
      const m = (r.body.value as Record<string, unknown>[]).find((x) => x.id === agents[name].machineId)!;
      expect(m).toMatchObject({ computerDnsName: `agent-${name}`, osPlatform: 'Linux', healthStatus: 'Active', onboardingStatus: 'Onboarded', agentVersion: '0.1.0' });
      expect(m.id).toMatch(/^[0-9a-f]{40}$/);
      expect(typeof m.lastSeen).toBe('string');
    }
    const stateMode = (await stat(join(agents.a.state, 'identity.json'))).mode & 0o777;
    expect(stateMode).toBe(0o600);
  });

  it('should run an isolation to Succeeded and record the isolation state', async () => {
    const action = await post(agents.a.machineId, 'isolate', { IsolationType: 'Full' });
    expect(action.status).toBe('Pending');
    expect((await api.waitStatus(action.id, ['Succeeded'])).status).toBe('Succeeded');
    const m = await api.call('GET', `/api/machines/${agents.a.machineId}`);
    expect(m.body.isolationState).toBe('Isolated');
  });

  it('should report an executor failure as Failed with errorHResult and a message', async () => {
    const action = await post(agents.a.machineId, 'collectInvestigationPackage');
    const done = await api.waitStatus(action.id, ['Failed', 'Succeeded']);
    expect(done).toMatchObject({ status: 'Failed', errorHResult: -2147467259, errorMessage: 'fake CollectInvestigationPackage failed as configured' });
  });

  it('should refuse at creation an action the device did not advertise (400 OsPlatformNotSupported)', async () => {
    const r = await api.call('POST', `/api/machines/${agents.b.machineId}/isolate`, { Comment: 'x', IsolationType: 'Full' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('OsPlatformNotSupported');
  });

  it('should abort a running action on cancel and end Cancelled', async () => {
    const action = await post(agents.a.machineId, 'runAntiVirusScan', { ScanType: 'Quick' });
    await api.waitStatus(action.id, ['InProgress']);
    const c = await api.call('POST', `/api/machineactions/${action.id}/cancel`, { Comment: 'stop it' });
    expect(c.status).toBe(200);
    expect((await api.waitStatus(action.id, ['Cancelled'])).status).toBe('Cancelled');
    await waitFor('the executor to be aborted', async () => (await runs('a')).some((r) => r.actionId === action.id && r.event === 'aborted') || undefined);
  });

  it('should end a cancel racing a completion in exactly one final status', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const action = await post(agents.b.machineId, 'unisolate');
      await api.waitStatus(action.id, ['InProgress', 'Succeeded']);
      // The fake Unisolate on b takes 400 ms and we see InProgress up to 100 ms late: cancel
      // from 200 to 450 ms after that, around the moment the agent reports.
      await new Promise((r) => setTimeout(r, 200 + i * 50));
      const c = await api.call('POST', `/api/machineactions/${action.id}/cancel`, { Comment: 'race' });
      const final = await api.waitStatus(action.id, ['Succeeded', 'Cancelled']);
      await new Promise((r) => setTimeout(r, 300)); // the agent's late report must not move it
      const later = await api.action(action.id);
      expect(later.status).toBe(final.status);
      if (c.status === 200) expect(final.status).toBe('Cancelled');
      else expect([c.status, c.body.error.code, final.status]).toEqual([400, 'ActionAlreadyCompleted', 'Succeeded']);
      outcomes.push(final.status);
    }
    console.log(`cancel race outcomes: ${outcomes.join(', ')}`);
  });

  it('should fail, not re-run, an action interrupted by an agent restart', async () => {
    const action = await post(agents.a.machineId, 'runAntiVirusScan', { ScanType: 'Full' });
    await api.waitStatus(action.id, ['InProgress']);
    await waitFor('the scan to start', async () => (await runs('a')).some((r) => r.actionId === action.id && r.event === 'start') || undefined);
    await stop(agents.a.proc!, 'SIGKILL');
    await startAgent('a');
    const done = await api.waitStatus(action.id, ['Failed']);
    expect(done.errorMessage).toContain('restarted');
    await new Promise((r) => setTimeout(r, 500));
    expect((await runs('a')).filter((r) => r.actionId === action.id && r.event === 'start')).toHaveLength(1);
  });

  it('should finish an action across a server restart in the middle of it', async () => {
    const action = await post(agents.a.machineId, 'runAntiVirusScan', { ScanType: 'Quick' });
    await api.waitStatus(action.id, ['InProgress']);
    await stop(server);
    await startServer();
    expect((await api.waitStatus(action.id, ['Succeeded'], 30_000)).status).toBe('Succeeded');
    expect((await runs('a')).filter((r) => r.actionId === action.id && r.event === 'start')).toHaveLength(1);
  });

  it('should deliver an action created while the agent was offline when it returns, and time out one it never picks up', async () => {
    await stop(agents.b.proc!);
    const late = await post(agents.b.machineId, 'restrictCodeExecution');
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.action(late.id)).status).toBe('Pending');
    await startAgent('b');
    expect((await api.waitStatus(late.id, ['Succeeded'])).status).toBe('Succeeded');

    await stop(agents.b.proc!);
    const never = await post(agents.b.machineId, 'unrestrictCodeExecution');
    expect((await api.waitStatus(never.id, ['TimeOut'], 20_000)).status).toBe('TimeOut');
    // Silent for longer than CORDON_INACTIVE_AFTER_SECONDS: Inactive; back to Active on return.
    const health = async () => (await api.call('GET', `/api/machines/${agents.b.machineId}`)).body.healthStatus as string;
    await waitFor('machine b to read Inactive', async () => ((await health()) === 'Inactive' ? true : undefined), 20_000, 250);
    await startAgent('b');
    expect(await health()).toBe('Active');
    await new Promise((r) => setTimeout(r, 500));
    expect((await runs('b')).some((r) => r.actionId === never.id)).toBe(false);
  });

  it('should refuse to enroll twice with a spent enrollment secret', async () => {
    const again = await runCordon(['agent', '--state', join(dir, 'agent-c'), '--platform', 'fake', '--onboarding', join(dir, 'onboarding-a.json')], {});
    expect(again.code).not.toBe(0);
    expect(again.output).toContain('enrollment refused (HTTP 401)');
  });

  it('should offboard: report success, delete the identity, stop, and have its credential refused', async () => {
    const identity = await readFile(join(agents.b.state, 'identity.json'), 'utf8');
    const action = await post(agents.b.machineId, 'offboard');
    expect((await api.waitStatus(action.id, ['Succeeded'])).status).toBe('Succeeded');
    const exited = await Promise.race([agents.b.proc!.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    // A distinct exit code, so systemd does not restart an offboarded agent into re-enrolling.
    if (exited !== OFFBOARDED_EXIT_CODE) console.log(agents.b.proc!.output());
    expect(exited).toBe(OFFBOARDED_EXIT_CODE);
    // It released (fake) isolation and restriction as part of the offboard.
    const released = (await readFile(join(agents.b.state, 'fake-runs.jsonl'), 'utf8')).split('\n').filter((l) => l.includes(action.id) && l.includes('"event":"succeeded"'));
    expect(released.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['Unisolate', 'UnrestrictCodeExecution']);
    await expect(stat(join(agents.b.state, 'identity.json'))).rejects.toThrow();
    const m = await api.call('GET', `/api/machines/${agents.b.machineId}`);
    expect(m.body.onboardingStatus).toBe('Offboarded');
    // The stolen/kept credential no longer connects.
    await writeFile(join(agents.b.state, 'identity.json'), identity, { mode: 0o600 });
    const revived = spawnCordon(['agent', '--state', agents.b.state, '--platform', 'fake'], agents.b.env);
    await waitFor('the revoked credential to be refused', () => revived.output().includes('HTTP 401') || undefined);
    await stop(revived);
    const r = await api.call('POST', `/api/machines/${agents.b.machineId}/unisolate`, { Comment: 'x' });
    expect(r.status).toBe(403);
  });
});
