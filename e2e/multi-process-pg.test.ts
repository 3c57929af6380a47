/**
 * Two server processes on one PostgreSQL: an action created through process A reaches agents
 * connected to process B (one over WebSocket, one over long-poll) through LISTEN/NOTIFY, and so
 * does a cancel. Needs PostgreSQL at CORDON_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test);
 * a database is created and dropped for the run, and the test fails (never skips) without a server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Api, freePort, killAll, runCordon, spawnCordon, waitFor, type Proc } from './support/cluster.js';

const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function psql(sql: string): void {
  const r = spawnSync('psql', [PG_URL, '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr} (set CORDON_TEST_PG_URL=postgres://user@host:port/db to point this test at a PostgreSQL server)`);
}

describe('two server processes on one PostgreSQL', () => {
  let dir: string;
  let db: string;
  let dbUrl: string;
  let apiA: Api;
  let publicUrls: string[] = [];
  const agentsOnB: { name: string; transport: string; machineId: string; proc?: Proc }[] = [
    { name: 'ws', transport: 'websocket', machineId: '' },
    { name: 'lp', transport: 'long-poll', machineId: '' },
  ];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-pg-'));
    db = `cordon_e2e_${randomBytes(4).toString('hex')}`;
    psql(`CREATE DATABASE ${db}`);
    const u = new URL(PG_URL);
    u.pathname = `/${db}`;
    dbUrl = u.toString();
    const [portA, portB] = [await freePort(), await freePort()];
    publicUrls = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`].sort();
    const env = (name: string, port: number) => ({
      CORDON_DATA: join(dir, name),
      CORDON_PORT: String(port),
      CORDON_DATABASE_URL: dbUrl,
      CORDON_LOG_LEVEL: 'warn',
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
    });
    // A first: it bootstraps the tenant; B then finds it.
    const a = spawnCordon(['server'], env('a', portA));
    await waitFor('server A', () => a.output().includes('listening on') || undefined, 30_000);
    const b = spawnCordon(['server'], env('b', portB));
    await waitFor('server B', () => b.output().includes('listening on') || undefined, 30_000);
    apiA = new Api(`http://127.0.0.1:${portA}`);
    await apiA.login(join(dir, 'a', 'credentials.json'));
    for (const agent of agentsOnB) {
      const pkg = await runCordon(['onboarding-package', '--public-url', `http://127.0.0.1:${portB}`], env('b', portB));
      expect(pkg.code).toBe(0);
      const file = join(dir, `onboarding-${agent.name}.json`);
      await writeFile(file, pkg.stdout);
      const state = join(dir, `agent-${agent.name}`);
      agent.proc = spawnCordon(['agent', '--onboarding', file, '--state', state, '--platform', 'fake', '--transport', agent.transport, '--name', `pg-${agent.name}`], {
        CORDON_FAKE_DELAY_MS: '100',
        CORDON_FAKE_DELAYS: JSON.stringify({ RunAntiVirusScan: 30_000 }),
      });
      await waitFor(`agent ${agent.name}`, () => agent.proc!.output().includes('"msg":"connected"') || undefined, 30_000);
      agent.machineId = (JSON.parse(await readFile(join(state, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
    }
  }, 120_000);

  afterAll(async () => {
    killAll();
    await new Promise((r) => setTimeout(r, 300));
    if (db) psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should tell agents connected to B the public URL of both processes (isolation keeps both reachable)', async () => {
    for (const agent of agentsOnB) {
      const saved = await waitFor(`agent ${agent.name} to keep both server URLs`, async () => {
        const s = JSON.parse(await readFile(join(dir, `agent-${agent.name}`, 'settings.json'), 'utf8')) as { serverUrls: string[] };
        return s.serverUrls.length === 2 ? s : undefined;
      });
      expect(saved.serverUrls).toEqual(publicUrls);
    }
  });

  it('should deliver an action created through A to agents connected to B (WebSocket and long-poll)', async () => {
    for (const agent of agentsOnB) {
      const r = await apiA.call('POST', `/api/machines/${agent.machineId}/isolate`, { Comment: 'via A', IsolationType: 'Full' });
      expect(r.status).toBe(201);
      expect((await apiA.waitStatus(r.body.id, ['Succeeded', 'Failed'])).status).toBe('Succeeded');
    }
  });

  it('should carry a cancel through A to a running action on an agent connected to B', async () => {
    for (const agent of agentsOnB) {
      const r = await apiA.call('POST', `/api/machines/${agent.machineId}/runAntiVirusScan`, { Comment: 'long', ScanType: 'Full' });
      await apiA.waitStatus(r.body.id, ['InProgress']);
      expect((await apiA.call('POST', `/api/machineactions/${r.body.id}/cancel`, { Comment: 'stop' })).status).toBe(200);
      await waitFor(`agent ${agent.name} to abort`, async () => {
        const runs = await readFile(join(dir, `agent-${agent.name}`, 'fake-runs.jsonl'), 'utf8');
        return runs.includes(`"event":"aborted","actionId":"${r.body.id}"`) || undefined;
      });
      expect((await apiA.action(r.body.id)).status).toBe('Cancelled');
    }
  });
});
