/**
 * The long-poll fallback end to end, without PostgreSQL: a real server (self-signed TLS) and one
 * agent process with `--transport long-poll`, through Succeeded and a cancel of a running action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, freePort, killAll, runCordon, spawnCordon, waitFor } from './support/cluster.js';

describe('agent over long-poll', () => {
  let dir: string;
  let api: Api;
  let machineId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-lp-'));
    const port = await freePort();
    const env = {
      CORDON_DATA: join(dir, 'server'),
      CORDON_PORT: String(port),
      CORDON_TLS_SELF_SIGNED: '1',
      CORDON_LOG_LEVEL: 'warn',
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
    };
    const server = spawnCordon(['server'], env);
    await waitFor('server', () => server.output().includes('listening on') || undefined, 30_000);
    api = new Api(`https://127.0.0.1:${port}`);
    await api.login(join(dir, 'server', 'credentials.json'));
    const pkg = await runCordon(['onboarding-package'], env);
    await writeFile(join(dir, 'onboarding.json'), pkg.stdout);
    const state = join(dir, 'agent');
    const agent = spawnCordon(['agent', '--onboarding', join(dir, 'onboarding.json'), '--state', state, '--platform', 'fake', '--transport', 'long-poll'], {
      CORDON_FAKE_DELAYS: JSON.stringify({ RunAntiVirusScan: 30_000 }),
    });
    await waitFor('agent', () => agent.output().includes('"transport":"long-poll"') || undefined, 30_000);
    machineId = (JSON.parse(await readFile(join(state, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
  }, 90_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should run an action to Succeeded', async () => {
    const r = await api.call('POST', `/api/machines/${machineId}/isolate`, { Comment: 'lp', IsolationType: 'Selective' });
    expect(r.status).toBe(201);
    expect((await api.waitStatus(r.body.id, ['Succeeded', 'Failed'])).status).toBe('Succeeded');
    expect((await api.call('GET', `/api/machines/${machineId}`)).body.isolationState).toBe('SelectivelyIsolated');
  });

  it('should deliver a cancel to a running action', async () => {
    const r = await api.call('POST', `/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'lp', ScanType: 'Quick' });
    await api.waitStatus(r.body.id, ['InProgress']);
    expect((await api.call('POST', `/api/machineactions/${r.body.id}/cancel`, { Comment: 'stop' })).status).toBe(200);
    await waitFor('the abort', async () => ((await readFile(join(dir, 'agent', 'fake-runs.jsonl'), 'utf8')).includes(`"event":"aborted","actionId":"${r.body.id}"`) ? true : undefined));
    expect((await api.action(r.body.id)).status).toBe('Cancelled');
  });
});
