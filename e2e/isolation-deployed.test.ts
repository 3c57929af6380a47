/**
 * Isolation as deployed, privileged: a real server (self-signed TLS) in one network namespace, a
 * real agent (Linux platform, enrolled with an onboarding package) in another, and an "internet"
 * echo listener in a third. Nothing gives the agent its server endpoints but its identity and what
 * the server advertises: Isolate must succeed, cut the internet off, keep the control channel (the
 * Unisolate that follows reaches the agent), and Unisolate must restore the internet. Every address
 * and rule lives in namespaces this test creates and deletes; the host's network is never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, skipReason } from '../packages/agent/test/privileged/helpers.js';
import { createNetnsLab, type NetnsLab } from '../packages/agent/test/privileged/netns-lab.js';
import { NODE_ARGS, ROOT, runCordon, waitFor } from './support/cluster.js';

const skip = skipReason('isolation as deployed (netns + nft)', ['ip', 'nft', 'curl']);
const PORT = 8443;
const ECHO_PORT = 8080;

describe.skipIf(skip)('isolation with a real agent enrolled in a network namespace', () => {
  const children: ChildProcess[] = [];
  let lab: NetnsLab;
  let dir: string;
  let token = '';
  let machineId = '';
  const out: Record<string, string> = { server: '', agent: '' };

  /** The API, called from inside the server's namespace (the host cannot reach it). */
  const api = (method: string, path: string, body?: unknown, form = false): { status: number; body: any } => { 
    const args = ['ip', 'netns', 'exec', lab.ns.srv, 'curl', '-sk', '-X', method, '-w', '\n%{http_code}', `https://${lab.srv}:${PORT}${path}`];
    if (token) args.push('-H', `Authorization: Bearer ${token}`);
    if (body !== undefined) args.push('-H', `Content-Type: ${form ? 'application/x-www-form-urlencoded' : 'application/json'}`, '--data', form ? String(body) : JSON.stringify(body));
    const lines = run(args).stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    const text = lines.join('\n');
    return { status, body: text ? JSON.parse(text) : undefined };
  };
  const waitStatus = (actionId: string) =>
    waitFor(`action ${actionId} to finish`, () => {
      const a = api('GET', `/api/machineactions/${actionId}`).body as { status: string; errorMessage: string | null };
      return ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'].includes(a.status) ? a : undefined;
    }, 60_000, 250);
  const reachesInternet = () => lab.reaches(lab.inet, ECHO_PORT);
  const spawnIn = (ns: string, argv: string[], name: keyof typeof out, env: Record<string, string> = {}) => {
    const c = spawn('ip', ['netns', 'exec', ns, ...argv], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d: Buffer) => (out[name] += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (out[name] += d.toString()));
    children.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-iso-'));
    lab = createNetnsLab('cordon-isoe2e', 238);
    await lab.echo(lab.ns.inet, ECHO_PORT);

    const serverEnv = {
      CORDON_DATA: join(dir, 'server'),
      CORDON_HOST: lab.srv,
      CORDON_PORT: String(PORT),
      CORDON_PUBLIC_URL: `https://${lab.srv}:${PORT}`,
      CORDON_TLS_SELF_SIGNED: '1',
      CORDON_LOG_LEVEL: 'warn',
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
    };
    spawnIn(lab.ns.srv, [process.execPath, ...NODE_ARGS, 'server'], 'server', serverEnv);
    await waitFor('the server to listen', () => out.server.includes('listening on') || undefined, 60_000);
    const creds = JSON.parse(await readFile(join(dir, 'server', 'credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
    const form = new URLSearchParams({ client_id: creds.clientId, client_secret: creds.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' });
    token = (api('POST', `/${creds.tenantId}/oauth2/v2.0/token`, form.toString(), true).body as { access_token: string }).access_token;

    // The package is all the agent is given: its server URL comes from there, and from the server.
    const pkg = await runCordon(['onboarding-package'], serverEnv);
    expect(pkg.code).toBe(0);
    await writeFile(join(dir, 'onboarding.json'), pkg.stdout);
    const state = join(dir, 'agent');
    spawnIn(lab.ns.dev, [process.execPath, ...NODE_ARGS, 'agent', '--state', state, '--onboarding', join(dir, 'onboarding.json'), '--name', 'isolated-host'], 'agent', {
      CORDON_AGENT_BACKOFF_MIN_MS: '100',
      CORDON_AGENT_BACKOFF_MAX_MS: '1000',
    });
    await waitFor('the agent to connect', () => out.agent.includes('"msg":"connected"') || undefined, 60_000);
    machineId = (JSON.parse(await readFile(join(state, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
  }, 240_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    lab?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should isolate, keep the control channel, and release', async () => {
    expect(reachesInternet()).toBe(true);
    const isolate = api('POST', `/api/machines/${machineId}/isolate`, { Comment: 'deployed isolation', IsolationType: 'Full' });
    expect(isolate.status).toBe(201);
    expect(await waitStatus(isolate.body.id)).toMatchObject({ status: 'Succeeded' });
    expect(reachesInternet()).toBe(false);
    expect(api('GET', `/api/machines/${machineId}`).body.isolationState).toBe('Isolated');

    const release = api('POST', `/api/machines/${machineId}/unisolate`, { Comment: 'release' });
    expect(release.status).toBe(201);
    expect(await waitStatus(release.body.id)).toMatchObject({ status: 'Succeeded' });
    expect(reachesInternet()).toBe(true);
  });
});
