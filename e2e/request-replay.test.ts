/**
 * A captured device-signed request must not replay within its ±5 minute window: not after the
 * server restarts (SQLite), and not against another server process on the same PostgreSQL. The
 * device is enrolled by the test (e2e/support/device.ts) so it can resend exactly the bytes and
 * headers it sent. PostgreSQL at CORDON_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test);
 * a database is created and dropped for the run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_AUTH_HEADERS, AGENT_METHODS, AGENT_PATHS, type OnboardingPackage } from '@cordon/protocol';
import { freePort, killAll, runCordon, spawnCordon, stop, waitFor, type Proc } from './support/cluster.js';
import { enrollDevice } from './support/device.js';

const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';
const BODY = JSON.stringify({ method: AGENT_METHODS.heartbeat.method, params: {} });

function psql(sql: string): void {
  const r = spawnSync('psql', [PG_URL, '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr} (set CORDON_TEST_PG_URL=postgres://user@host:port/db to point this test at a PostgreSQL server)`);
}

const dirs: string[] = [];
let db: string | undefined;
afterAll(async () => {
  killAll();
  await new Promise((r) => setTimeout(r, 300));
  if (db) psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function startServer(env: Record<string, string>): Promise<Proc> {
  const server = spawnCordon(['server'], env);
  await waitFor('server', () => server.output().includes('listening on') || undefined, 30_000);
  return server;
}

function serverEnv(dir: string, name: string, port: number, databaseUrl?: string): Record<string, string> {
  return { CORDON_DATA: join(dir, name), CORDON_PORT: String(port), CORDON_LOG_LEVEL: 'warn', ...(databaseUrl ? { CORDON_DATABASE_URL: databaseUrl } : {}) };
}

/** Posts one heartbeat with the given signature headers; the status says whether it was accepted. */
async function send(port: number, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${AGENT_PATHS.rpc}`, { method: 'POST', headers: { ...headers, [AGENT_AUTH_HEADERS.session]: 'replay-session-000001', 'content-type': RPC_CONTENT_TYPE }, body: BODY });
  await res.arrayBuffer();
  return res.status;
}

async function enrolledAt(env: Record<string, string>) {
  const pkg = await runCordon(['onboarding-package'], env);
  expect(pkg.code).toBe(0);
  return enrollDevice(JSON.parse(pkg.stdout) as OnboardingPackage, 'replayer');
}

describe('replay of a device-signed request', () => {
  it('should be refused after the server restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-replay-'));
    dirs.push(dir);
    const port = await freePort();
    const env = serverEnv(dir, 'server', port);
    let server = await startServer(env);
    const device = await enrolledAt(env);
    const captured = device.headers('POST', AGENT_PATHS.rpc, BODY);
    expect(await send(port, captured)).toBe(200);
    expect(await send(port, captured)).toBe(401);

    await stop(server);
    server = await startServer(env);
    expect(await send(port, captured)).toBe(401);
    expect(await send(port, device.headers('POST', AGENT_PATHS.rpc, BODY))).toBe(200);
    await stop(server);
  }, 120_000);

  it('should be refused by a second server process on the same PostgreSQL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-replay-pg-'));
    dirs.push(dir);
    db = `cordon_e2e_${randomBytes(4).toString('hex')}`;
    psql(`CREATE DATABASE ${db}`);
    const url = new URL(PG_URL);
    url.pathname = `/${db}`;
    const [portA, portB] = [await freePort(), await freePort()];
    const envA = serverEnv(dir, 'a', portA, url.toString());
    await startServer(envA); // A first: it bootstraps the tenant
    await startServer(serverEnv(dir, 'b', portB, url.toString()));
    const device = await enrolledAt(envA);
    const captured = device.headers('POST', AGENT_PATHS.rpc, BODY);
    expect(await send(portA, captured)).toBe(200);
    expect(await send(portB, captured)).toBe(401);
    expect(await send(portB, device.headers('POST', AGENT_PATHS.rpc, BODY))).toBe(200);
  }, 120_000);
});
