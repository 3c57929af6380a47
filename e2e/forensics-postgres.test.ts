/**
 * Library, live response and results on PostgreSQL with two server processes sharing one database and no other service: a
 * library file uploaded through server B reaches the agent connected to server A, the transcript
 * the agent uploads to A is linked by B, and a link B minted downloads from A (shared blobs, shared
 * link secret). Uses a database created for the run and dropped after; fails (never skips) when
 * PostgreSQL is unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Api, freePort, killAll, runCordon, spawnCordon, waitFor, type Proc } from './support/cluster.js';

const adminUrl = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `cordon_e2e_${randomBytes(5).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${adminUrl}: set CORDON_TEST_PG_URL=postgres://user@host:port/db`, { cause: error });
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function get(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('forensics on PostgreSQL across two server processes', () => {
  let dir: string;
  const servers: { proc?: Proc; url: string; env: Record<string, string> }[] = [];
  let apiA: Api;
  let apiB: Api;
  let agent: Proc;
  let machineId: string;

  beforeAll(async () => {
    await admin(`create database ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-pg-'));
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const env = {
        CORDON_DATA: join(dir, `server-${name}`),
        CORDON_PORT: String(port),
        CORDON_DATABASE_URL: url.toString(),
        CORDON_LOG_LEVEL: 'warn',
        CORDON_HEARTBEAT_SECONDS: '1',
        CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
      };
      const proc = spawnCordon(['server'], env);
      // One after the other: the first start creates the tenant and the admin application.
      await waitFor(`server ${name} to listen`, () => proc.output().includes('listening on') || undefined, 30_000);
      servers.push({ proc, url: `http://127.0.0.1:${port}`, env });
    }
    apiA = new Api(servers[0]!.url);
    apiB = new Api(servers[1]!.url);
    await apiA.login(join(dir, 'server-a', 'credentials.json'));
    await apiB.login(join(dir, 'server-a', 'credentials.json'));
    const pkg = await runCordon(['onboarding-package'], servers[0]!.env);
    expect(pkg.code).toBe(0);
    await writeFile(join(dir, 'onboarding.json'), pkg.stdout);
    agent = spawnCordon(['agent', '--state', join(dir, 'agent'), '--platform', 'linux', '--name', 'pg-e2e', '--onboarding', join(dir, 'onboarding.json')], { CORDON_AGENT_BACKOFF_MIN_MS: '100', CORDON_AGENT_BACKOFF_MAX_MS: '1000' });
    await waitFor('agent to connect', () => /"msg":"connected"/.test(agent.output()) || undefined, 60_000);
    machineId = (JSON.parse(await readFile(join(dir, 'agent', 'identity.json'), 'utf8')) as { machineId: string }).machineId;
  }, 120_000);

  afterAll(async () => {
    killAll();
    await new Promise((r) => setTimeout(r, 500)); // let the killed servers' connections close
    await admin(`drop database if exists ${database} with (force)`).catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should serve library files, results and links from whichever process is asked', async () => {
    const form = new FormData();
    form.set('File', new Blob(['#!/bin/sh\necho "from $1"\n']), 'where.sh');
    const req = new Request(`${servers[1]!.url}/api/libraryfiles`, { method: 'POST', body: form });
    const up = await apiB.call('POST', '/api/libraryfiles', Buffer.from(await req.arrayBuffer()).toString('utf8'), req.headers.get('content-type')!);
    expect(up.status, JSON.stringify(up.body)).toBe(200);

    // Created on B; the agent is connected to A (PostgreSQL NOTIFY carries the dispatch).
    const created = await apiB.call('POST', `/api/machines/${machineId}/runliveresponse`, {
      Commands: [{ type: 'RunScript', params: [{ key: 'ScriptName', value: 'where.sh' }, { key: 'Args', value: 'B' }] }],
      Comment: 'two processes',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await apiA.waitStatus(created.body.id, ['Succeeded', 'Failed'], 60_000);
    expect(done.status, String(done.errorMessage)).toBe('Succeeded');

    const fromB = await apiB.call('GET', `/api/machineactions/${created.body.id}/GetLiveResponseResultDownloadLink(index=0)`);
    expect(fromB.status).toBe(200);
    const link = new URL(fromB.body.value as string);
    expect(link.origin).toBe(servers[1]!.url);
    const onA = new URL(`${link.pathname}${link.search}`, servers[0]!.url);
    for (const url of [link.toString(), onA.toString()]) {
      const dl = await get(url);
      expect(dl.status, url).toBe(200);
      expect(JSON.parse(dl.body.toString())).toEqual({ script_name: 'where.sh', exit_code: 0, script_output: 'from B\n', script_errors: '' });
    }
  }, 120_000);
});
