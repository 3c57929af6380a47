/**
 * Isolation as deployed, privileged: a real server (self-signed TLS) in one network namespace, a
 * real agent (Linux platform, enrolled with an onboarding package) in another, and an "internet"
 * echo listener in a third. Nothing gives the agent its server endpoints but its identity and what
 * the server advertises: Isolate must succeed, cut the internet off, keep the control channel (the
 * Unisolate that follows reaches the agent), and Unisolate must restore the internet. Every address
 * and rule lives in namespaces this test creates and deletes; the host's network is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ARGS, ROOT, runCordon, waitFor } from './support/cluster.js';

const missing = ['ip', 'nft', 'curl'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = process.getuid?.() !== 0 ? 'not running as root' : missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
if (skip) console.warn(`[privileged] SKIPPED isolation as deployed: ${skip}`);

const id = randomBytes(3).toString('hex');
const NS = { srv: `cordon-d-${id}-srv`, dev: `cordon-d-${id}-dev`, inet: `cordon-d-${id}-inet` };
const SRV = '10.238.1.1';
const INET = '10.238.2.1';
const PORT = 8443;
const ECHO_PORT = 8080;
const ECHO = `require('net').createServer(s => s.pipe(s)).listen(${ECHO_PORT}, '0.0.0.0', () => console.log('listening'))`;
const PROBE = `const s = require('net').connect(+process.argv[2], process.argv[1]);
s.setTimeout(1500, () => process.exit(1)); s.on('error', () => process.exit(1));
s.on('connect', () => s.write('ping')); s.on('data', () => process.exit(0));`;

const run = (argv: string[], allowFail = false) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 && !allowFail) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
};
const ip = (...args: string[]) => run(['ip', ...args]);
const reachesInternet = () => run(['ip', 'netns', 'exec', NS.dev, process.execPath, '-e', PROBE, INET, String(ECHO_PORT)], true).status === 0;

describe.skipIf(skip)('isolation with a real agent enrolled in a network namespace', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  let token = '';
  let machineId = '';
  const out: Record<string, string> = { server: '', agent: '' };

  /** The API, called from inside the server's namespace (the host cannot reach it). */
  const api = (method: string, path: string, body?: unknown, form = false): { status: number; body: any } => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const args = ['ip', 'netns', 'exec', NS.srv, 'curl', '-sk', '-X', method, '-w', '\n%{http_code}', `https://${SRV}:${PORT}${path}`];
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
  const spawnIn = (ns: string, argv: string[], name: keyof typeof out, env: Record<string, string> = {}) => {
    const c = spawn('ip', ['netns', 'exec', ns, ...argv], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d: Buffer) => (out[name] += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (out[name] += d.toString()));
    children.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-iso-'));
    for (const ns of Object.values(NS)) ip('netns', 'add', ns);
    ip('-n', NS.dev, 'link', 'add', 'to-srv', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', NS.srv);
    ip('-n', NS.dev, 'link', 'add', 'to-inet', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', NS.inet);
    ip('-n', NS.dev, 'addr', 'add', '10.238.1.2/30', 'dev', 'to-srv');
    ip('-n', NS.dev, 'addr', 'add', '10.238.2.2/30', 'dev', 'to-inet');
    ip('-n', NS.srv, 'addr', 'add', `${SRV}/30`, 'dev', 'to-dev');
    ip('-n', NS.inet, 'addr', 'add', `${INET}/30`, 'dev', 'to-dev');
    for (const [ns, dev] of [[NS.dev, 'to-srv'], [NS.dev, 'to-inet'], [NS.srv, 'to-dev'], [NS.inet, 'to-dev']] as const) ip('-n', ns, 'link', 'set', dev, 'up');
    for (const ns of Object.values(NS)) ip('-n', ns, 'link', 'set', 'lo', 'up');
    const echo = spawnIn(NS.inet, [process.execPath, '-e', ECHO], 'server');
    await waitFor('the echo listener', () => (echo.stdout!.readableLength >= 0 && out.server.includes('listening')) || undefined, 20_000);

    const serverEnv = {
      CORDON_DATA: join(dir, 'server'),
      CORDON_HOST: SRV,
      CORDON_PORT: String(PORT),
      CORDON_PUBLIC_URL: `https://${SRV}:${PORT}`,
      CORDON_TLS_SELF_SIGNED: '1',
      CORDON_LOG_LEVEL: 'warn',
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
    };
    spawnIn(NS.srv, [process.execPath, ...NODE_ARGS, 'server'], 'server', serverEnv);
    await waitFor('the server to listen', () => out.server.includes('listening on') || undefined, 60_000);
    const creds = JSON.parse(await readFile(join(dir, 'server', 'credentials.json'), 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
    const form = new URLSearchParams({ client_id: creds.clientId, client_secret: creds.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' });
    token = (api('POST', `/${creds.tenantId}/oauth2/v2.0/token`, form.toString(), true).body as { access_token: string }).access_token;

    // The package is all the agent is given: its server URL comes from there, and from the server.
    const pkg = await runCordon(['onboarding-package'], serverEnv);
    expect(pkg.code).toBe(0);
    await writeFile(join(dir, 'onboarding.json'), pkg.output);
    const state = join(dir, 'agent');
    spawnIn(NS.dev, [process.execPath, ...NODE_ARGS, 'agent', '--state', state, '--onboarding', join(dir, 'onboarding.json'), '--name', 'isolated-host'], 'agent', {
      CORDON_AGENT_BACKOFF_MIN_MS: '100',
      CORDON_AGENT_BACKOFF_MAX_MS: '1000',
    });
    await waitFor('the agent to connect', () => out.agent.includes('"msg":"connected"') || undefined, 60_000);
    machineId = (JSON.parse(await readFile(join(state, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
  }, 240_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const ns of Object.values(NS)) run(['ip', 'netns', 'del', ns], true);
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
