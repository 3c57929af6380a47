/**
 * e2e harness: real `cordon server` and `cordon agent` processes spawned from sources (tsx plus the
 * source-resolving hook), talking over real sockets. Every child is tracked and killed by
 * `killAll()`; every wait has a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CLI = join(ROOT, 'packages/cli/src/main.ts');
/** node argv that runs the `cordon` CLI from sources (for a test that must wrap the process, e.g. in `unshare`). */
export const NODE_ARGS = ['--import', 'tsx', '--import', join(ROOT, 'e2e/support/register.mjs'), CLI];

export interface Proc {
  child: ChildProcess;
  /** stdout and stderr interleaved, for assertions on messages and for failure reports. */
  output(): string;
  /** stdout alone: what a command writes for a pipe (an onboarding package, JSON). */
  stdout(): string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

export function spawnCordon(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => {
    children.delete(child);
    r(code);
  }));
  return { child, output: () => out, stdout: () => stdout, exited };
}

export async function runCordon(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string; stdout: string }> {
  const p = spawnCordon(args, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output(), stdout: p.stdout() };
}

export function killAll(): void {
  for (const c of children) c.kill('SIGKILL');
}

export async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await p.exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A small API client over https that accepts the test server's self-signed certificate. With
 * `socketPath`, every request goes through that Unix socket (the deployed suite reaches a server
 * inside a network namespace that way) while the URL still names the server's own address.
 */
export class Api {
  readonly #agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  token = '';
  constructor(readonly baseUrl: string, readonly options: { socketPath?: string } = {}) {}

  async login(credentialsFile: string): Promise<void> {
    const c = JSON.parse(await readFile(credentialsFile, 'utf8')) as { tenantId: string; clientId: string; clientSecret: string };
    const body = new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' }).toString();
    const res = await this.call('POST', `/${c.tenantId}/oauth2/v2.0/token`, body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = (res.body as { access_token: string }).access_token;
  }

  call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> { 
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const url = new URL(path, this.baseUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((res, rej) => {
      const req = send(
        url,
        {
          method,
          agent: url.protocol === 'https:' ? this.#agent : undefined,
          socketPath: this.options.socketPath,
          headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}) },
          timeout: 15_000,
        },
        (r) => {
          let data = '';
          r.on('data', (d: Buffer) => (data += d.toString()));
          r.on('end', () => {
            let parsed: unknown = data;
            try {
              parsed = data ? JSON.parse(data) : undefined;
            } catch {
              // keep text
            }
            res({ status: r.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', rej);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async action(id: string): Promise<{ status: string; errorMessage: string | null; errorHResult: number; [k: string]: unknown }> {
    const r = await this.call('GET', `/api/machineactions/${id}`);
    if (r.status !== 200) throw new Error(`GET action ${id}: ${r.status}`);
    return r.body;
  }

  async waitStatus(id: string, statuses: string[], timeoutMs = 20_000) {
    return waitFor(`action ${id} to reach ${statuses.join('|')}`, async () => {
      const a = await this.action(id);
      return statuses.includes(a.status) ? a : undefined;
    }, timeoutMs, 100);
  }
}

export interface TestServer {
  proc: Proc;
  api: Api;
  port: number;
  /** The environment the server runs with; CLI commands against its data directory take it too. */
  env: Record<string, string>;
  /** Writes an onboarding package minted by `cordon onboarding-package` to `file` and returns the path. */
  onboardingPackage(file: string): Promise<string>;
}

/**
 * A `cordon server` on self-signed TLS with its data under `<dir>/server`, listening and signed in
 * as its admin application. `rateLimits` replaces the generous default so a test's bursts are not
 * throttled; `env` adds settings.
 */
export async function startTestServer(dir: string, options: { rateLimits?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<TestServer> {
  const port = await freePort();
  const env = {
    CORDON_DATA: join(dir, 'server'),
    CORDON_PORT: String(port),
    CORDON_TLS_SELF_SIGNED: '1',
    CORDON_LOG_LEVEL: 'warn',
    CORDON_RATE_LIMITS: JSON.stringify(options.rateLimits ?? { default: { perMinute: 100_000, perHour: 1_000_000 } }),
    ...options.env,
  };
  const proc = spawnCordon(['server'], env);
  await waitFor('server to listen', () => proc.output().includes('listening on') || undefined, 30_000);
  const api = new Api(`https://127.0.0.1:${port}`);
  await api.login(join(dir, 'server', 'credentials.json'));
  return {
    proc,
    api,
    port,
    env,
    async onboardingPackage(file) {
      const pkg = await runCordon(['onboarding-package'], env);
      if (pkg.code !== 0) throw new Error(`onboarding-package failed (${pkg.code}): ${pkg.output}`);
      await writeFile(file, pkg.stdout);
      return file;
    },
  };
}

/** The machine id an enrolled agent keeps in `<state>/identity.json`. */
export async function machineIdOf(stateDir: string): Promise<string> {
  return (JSON.parse(await readFile(join(stateDir, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
}
