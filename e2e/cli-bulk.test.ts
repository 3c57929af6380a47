/**
 * `--tag` / `--filter` end to end: a real server process, four real agent processes on the fake
 * platform, and the `cordon` CLI choosing machines through the API. Which machines got which action
 * is read back through the public API, and the agents run what they were sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_TYPES } from '@cordon/protocol';
import { Api, freePort, killAll, machineIdOf, runCordon, spawnCordon, waitFor } from './support/cluster.js';

const NAMES = ['db-1', 'web-1', 'web-2', 'web-3'] as const;
type Name = (typeof NAMES)[number];

describe('cordon verbs on many machines, against real agents', () => {
  let dir: string;
  let api: Api;
  let cliEnv: Record<string, string>;
  const ids = {} as Record<Name, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-bulk-'));
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

    const pkg = await runCordon(['onboarding-package', '--max-uses', String(NAMES.length)], serverEnv);
    expect(pkg.code).toBe(0);
    const onboarding = join(dir, 'onboarding.json');
    await writeFile(onboarding, pkg.stdout);
    // web-3 cannot isolate: the server refuses it that action, so a bulk isolate is partly refused.
    const capabilities: Partial<Record<Name, string>> = { 'web-3': ACTION_TYPES.filter((t) => t !== 'Isolate').join(',') };
    await Promise.all(
      NAMES.map(async (name) => {
        const state = join(dir, `agent-${name}`);
        const agent = spawnCordon(['agent', '--state', state, '--platform', 'fake', '--name', name, '--onboarding', onboarding], {
          CORDON_AGENT_BACKOFF_MIN_MS: '100',
          CORDON_AGENT_BACKOFF_MAX_MS: '1000',
          CORDON_FAKE_DELAY_MS: '100',
          ...(capabilities[name] ? { CORDON_FAKE_CAPABILITIES: capabilities[name] } : {}),
        });
        await waitFor(`agent ${name} to connect`, () => {
          if (agent.child.exitCode !== null) throw new Error(`agent ${name} exited: ${agent.output()}`);
          return agent.output().includes('"msg":"connected"') || undefined;
        }, 120_000);
        ids[name] = await machineIdOf(state);
      }),
    );
  }, 240_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cordon = (args: string[]) => runCordon(args, cliEnv, 60_000);
  const actionsOf = async (type: string) => {
    const r = await api.call('GET', `/api/machineactions?$filter=${encodeURIComponent(`type eq '${type}'`)}`);
    return (r.body.value as Array<{ id: string; machineId: string }>).map((a) => ({ id: a.id, machine: NAMES.find((n) => ids[n] === a.machineId) }));
  };
  const tagsOf = async (name: Name) => (await api.call('GET', `/api/machines/${ids[name]}`)).body.machineTags as string[];

  it('should tag exactly the machines a --filter chooses', async () => {
    const res = await cordon(['machines', 'tag', '--filter', "startswith(computerDnsName, 'web')", '--add', 'frontend', '--yes']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('3 machines: 3 sent, 0 refused\n');
    expect(res.output).toContain('machines tag will act on 3 machines: web-1, web-2, web-3');
    for (const name of ['web-1', 'web-2', 'web-3'] as const) expect(await tagsOf(name)).toEqual(['frontend']);
    expect(await tagsOf('db-1')).toEqual([]);
  });

  it('should print every request with --dry-run and create no action', async () => {
    const res = await cordon(['isolate', '--tag', 'frontend', '--comment', 'drill', '--dry-run', '--json']);
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as Array<{ url: string }>).map((r) => r.url)).toEqual(['web-1', 'web-2', 'web-3'].map((n) => `${cliEnv.CORDON_SERVER}/api/machines/${ids[n as Name]}/isolate`));
    expect(await actionsOf('Isolate')).toEqual([]);
  });

  it('should refuse without --yes when stdin is not a terminal, and create no action', async () => {
    const res = await cordon(['isolate', '--tag', 'frontend', '--comment', 'contain']);
    expect(res.code).toBe(1);
    expect(res.output).toContain('cordon: acting on 3 machines needs --yes when stdin is not a terminal; nothing was sent');
    expect(await actionsOf('Isolate')).toEqual([]);
  });

  it('should isolate every tagged machine that can be, report the refusal, exit 8, and the agents should run it', async () => {
    const res = await cordon(['isolate', '--tag', 'frontend', '--comment', 'contain', '--yes']);
    expect(res.code).toBe(8);
    expect(res.stdout).toBe('3 machines: 2 sent, 1 refused\n');
    expect(res.output).toMatch(/\[1\/3\] web-1: Pending \(action [0-9a-f-]{36}\)\n/);
    expect(res.output).toMatch(/\[3\/3\] web-3: refused: OsPlatformNotSupported: .+\(Isolate\) \(request \S+\)\n/);
    const created = await actionsOf('Isolate');
    expect(created.map((a) => a.machine).sort()).toEqual(['web-1', 'web-2']);
    for (const a of created) expect((await api.waitStatus(a.id, ['Succeeded'], 60_000)).status).toBe('Succeeded');
    for (const name of ['web-1', 'web-2'] as const) expect((await api.call('GET', `/api/machines/${ids[name]}`)).body.isolationState).toBe('Isolated');
  });

  it('should say so and create nothing when no machine has the tag', async () => {
    const res = await cordon(['scan', '--tag', 'no-such-tag', '--comment', 'sweep', '--yes']);
    expect(res.code).toBe(1);
    expect(res.output).toContain("cordon: no machine matches machineTags/any(t: t eq 'no-such-tag'); nothing was sent");
    expect(await actionsOf('RunAntiVirusScan')).toEqual([]);
  });
});
