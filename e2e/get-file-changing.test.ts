/**
 * GetFile of files that change while the agent reads them, end to end: a real server process and a
 * real agent process on the Linux platform. A procfs file (st_size 0, content rewritten on every
 * read) and a log appended to during the upload must both arrive whole and verified, exactly as
 * the agent read them once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, machineIdOf, spawnCordon, startTestServer, waitFor, type Api, type Proc } from './support/cluster.js';

function fetchLink(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GetFile of a file that changes while it is read', () => {
  let dir: string;
  let agent: Proc;
  let api: Api;
  let machineId: string;

  const getFile = async (path: string) => {
    const created = await api.call('POST', `/api/machines/${machineId}/runliveresponse`, { Commands: [{ type: 'GetFile', params: [{ key: 'Path', value: path }] }], Comment: 'e2e changing file' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const download = async (actionId: string) => {
    const link = await api.call('GET', `/api/machineactions/${actionId}/GetLiveResponseResultDownloadLink(index=0)`);
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    const got = await fetchLink(link.body.value as string);
    expect(got.status).toBe(200);
    return got.body;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-getfile-'));
    const server = await startTestServer(dir, { rateLimits: { default: { perMinute: 100_000, perHour: 1_000_000 }, runLiveResponse: { perMinute: 1000, perHour: null } } });
    api = server.api;
    await server.onboardingPackage(join(dir, 'onboarding.json'));
    const state = join(dir, 'agent');
    agent = spawnCordon(['agent', '--state', state, '--platform', 'linux', '--name', 'getfile-e2e', '--onboarding', join(dir, 'onboarding.json')], { CORDON_AGENT_BACKOFF_MIN_MS: '100', CORDON_AGENT_BACKOFF_MAX_MS: '1000' });
    await waitFor('agent to connect', () => /"msg":"connected"/.test(agent.output()) || undefined, 60_000);
    machineId = await machineIdOf(state);
  }, 120_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should get /proc/self/status of the agent (st_size 0, different on every read) whole', async () => {
    const id = await getFile('/proc/self/status');
    const done = await api.waitStatus(id, ['Succeeded', 'Failed'], 60_000);
    expect(done.status, String(done.errorMessage)).toBe('Succeeded');
    const status = (await download(id)).toString();
    // The whole file as the kernel wrote it for one read: first line to last.
    expect(status).toMatch(/^Name:\t\S+\n/);
    expect(status).toMatch(/\nPid:\t\d+\n/);
    expect(status).toMatch(/\nnonvoluntary_ctxt_switches:\t\d+\n$/);
  }, 90_000);

  it('should get a log appended to during the upload as one consistent prefix of it', async () => {
    const log = join(dir, 'growing.log');
    const initial = randomBytes(16 * 1024 * 1024);
    await writeFile(log, initial);
    let appending = true;
    let line = 0;
    const appender = (async () => {
      while (appending) await appendFile(log, `appended line ${line++} ${'x'.repeat(4000)}\n`);
    })();
    try {
      const id = await getFile(log);
      const done = await api.waitStatus(id, ['Succeeded', 'Failed'], 60_000);
      expect(done.status, String(done.errorMessage)).toBe('Succeeded');
      appending = false;
      await appender;
      const got = await download(id);
      const final = await readFile(log);
      expect(got.length).toBeGreaterThanOrEqual(initial.length);
      expect(got.equals(final.subarray(0, got.length))).toBe(true);
    } finally {
      appending = false;
      await appender;
    }
  }, 90_000);
});
