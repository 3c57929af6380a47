/**
 * End to end with a real server process and a real agent process (fake platform: only the API
 * shape is under test): `GET /api/machines/{id}/logonusers` filled from the login records the
 * agent reads (a wtmp file written by util-linux's utmpdump) at hello and on its periodic refresh,
 * and live response `commandStatus` moving Created -> InProgress -> Completed, or Cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, machineIdOf, spawnCordon, startTestServer, waitFor, type Api, type TestServer } from './support/cluster.js';

/** Binary wtmp records of user logins, written by utmpdump (the system's own writer). */
function logins(entries: { user: string; tty: string; host: string; time: string }[]): Buffer {
  const text = entries.map((e) => `[7] [01234] [${e.tty.slice(-4)}] [${e.user}] [${e.tty}] [${e.host}] [0.0.0.0] [${e.time}]`).join('\n');
  return execFileSync('utmpdump', ['-r'], { input: `${text}\n`, stdio: ['pipe', 'pipe', 'ignore'] });
}

const getFile = (path: string) => ({ type: 'GetFile', params: [{ key: 'Path', value: path }] });

describe('logon users and live response command status end to end', () => {
  let dir: string;
  let api: Api;
  let onboardingPackage: TestServer['onboardingPackage'];
  let machineId: string;
  let wtmp: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-logons-'));
    ({ api, onboardingPackage } = await startTestServer(dir, { rateLimits: { default: { perMinute: 100_000, perHour: 1_000_000 }, runLiveResponse: { perMinute: null, perHour: null } } }));
    wtmp = join(dir, 'wtmp');
    await writeFile(wtmp, logins([
      { user: 'alice', tty: 'pts/0', host: '203.0.113.9', time: '2026-11-20T09:30:00,000000+00:00' },
      { user: 'bob', tty: 'tty1', host: '', time: '2026-11-19T08:00:00,000000+00:00' },
      { user: 'alice', tty: 'tty1', host: '', time: '2026-11-01T07:00:00,000000+00:00' },
    ]));
    await onboardingPackage(join(dir, 'onboarding.json'));
    const state = join(dir, 'agent');
    const agent = spawnCordon(['agent', '--state', state, '--platform', 'fake', '--name', 'logons-e2e.example.net', '--onboarding', join(dir, 'onboarding.json')], {
      CORDON_AGENT_BACKOFF_MIN_MS: '100',
      CORDON_AGENT_BACKOFF_MAX_MS: '1000',
      CORDON_AGENT_LOGON_FILES: wtmp,
      CORDON_AGENT_LOGON_REPORT_SECONDS: '1',
      CORDON_FAKE_DELAYS: JSON.stringify({ LiveResponse: 1500 }),
    });
    await waitFor('agent to connect', () => agent.output().includes('"msg":"connected"') || undefined, 30_000);
    machineId = await machineIdOf(state);
  }, 120_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("should serve the device's logon users as MDE Users, by machine id or name", async () => {
    const users = await waitFor('the hello-time logon report', async () => {
      const r = await api.call('GET', `/api/machines/${machineId}/logonusers`);
      return r.status === 200 && r.body.value.length === 2 ? r.body : undefined;
    });
    expect(users['@odata.context']).toMatch(/\/api\/\$metadata#Users$/);
    expect(users.value).toEqual([
      { id: 'logons-e2e\\alice', accountName: 'alice', accountDomain: 'logons-e2e', accountSid: null, firstSeen: '2026-11-01T07:00:00.0000000Z', lastSeen: '2026-11-20T09:30:00.0000000Z', logonTypes: 'Interactive, RemoteInteractive', isDomainAdmin: false, isOnlyNetworkUser: false },
      { id: 'logons-e2e\\bob', accountName: 'bob', accountDomain: 'logons-e2e', accountSid: null, firstSeen: '2026-11-19T08:00:00.0000000Z', lastSeen: '2026-11-19T08:00:00.0000000Z', logonTypes: 'Interactive', isDomainAdmin: false, isOnlyNetworkUser: false },
    ]);
    const byName = await api.call('GET', '/api/v1.0/machines/logons-e2e.example.net/logonusers');
    expect(byName.body.value).toEqual(users.value);
    const missing = await api.call('GET', '/api/machines/no-such-machine/logonusers');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'ResourceNotFound']);
  });

  it('should pick up a new logon on the periodic refresh', async () => {
    await appendFile(wtmp, logins([{ user: 'carol', tty: 'pts/3', host: 'jump.example.net', time: '2026-11-21T10:00:00,000000+00:00' }]));
    const users = await waitFor('the refreshed logon report', async () => {
      const r = await api.call('GET', `/api/machines/${machineId}/logonusers`);
      return r.body.value.length === 3 ? r.body.value : undefined;
    });
    expect(users[0]).toMatchObject({ id: 'logons-e2e\\carol', logonTypes: 'RemoteInteractive', lastSeen: '2026-11-21T10:00:00.0000000Z' });
  });

  const statusesOf = async (id: string) => ((await api.action(id)).commands as { commandStatus: string }[]).map((c) => c.commandStatus);
  const waitCommands = (id: string, expected: string[]) =>
    waitFor(`commands of ${id} to be ${expected.join(',')}`, async () => (JSON.stringify(await statusesOf(id)) === JSON.stringify(expected) ? true : undefined), 30_000);

  it('should move each live response command Created -> InProgress -> Completed as the device runs it', async () => {
    const created = await api.call('POST', `/api/machines/${machineId}/runliveresponse`, { Comment: 'e2e status', Commands: [getFile('/etc/hostname'), getFile('/etc/os-release')] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.commands.map((c: { commandStatus: string }) => c.commandStatus)).toEqual(['Created', 'Created']);
    await waitCommands(id, ['InProgress', 'Created']);
    await waitCommands(id, ['Completed', 'InProgress']);
    const done = await api.waitStatus(id, ['Succeeded', 'Failed'], 30_000);
    expect(done.status).toBe('Succeeded');
    expect(await statusesOf(id)).toEqual(['Completed', 'Completed']);
  });

  it('should end the unfinished commands Cancelled when the live response is cancelled', async () => {
    const created = await api.call('POST', `/api/machines/${machineId}/runliveresponse`, { Comment: 'e2e cancel', Commands: [getFile('/etc/hostname'), getFile('/etc/hosts'), getFile('/etc/os-release')] });
    const id = created.body.id as string;
    await waitCommands(id, ['Completed', 'InProgress', 'Created']);
    const cancel = await api.call('POST', `/api/machineactions/${id}/cancel`, { Comment: 'stop' });
    expect(cancel.status).toBe(200);
    expect((await api.waitStatus(id, ['Cancelled'])).status).toBe('Cancelled');
    expect(await statusesOf(id)).toEqual(['Completed', 'Cancelled', 'Cancelled']);
  });
});
