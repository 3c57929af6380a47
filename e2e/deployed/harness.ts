/**
 * The deployed suite's harness: the product as the README ships it. Built `cordon server`
 * processes run in a "server" network namespace; a built `cordon agent` runs on a device (a network
 * namespace with mount and PID namespaces of its own, see device.ts); a third namespace plays "the
 * internet" with TCP echo listeners. The test drives everything through the public API (OAuth2
 * client credentials) and checks effects from outside the agent: probes run in the device's
 * namespaces with nsenter, files are read through /proc/<pid>/root. Nothing is injected that a
 * deployment would not have.
 *
 * The test process reaches the server through a Unix-socket bridge (bridge.mjs), and PostgreSQL
 * reaches the servers the same way, so the host's own network is never changed. Every namespace,
 * process, mount and temp dir is removed by stop(), which is safe after a half-finished start().
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, ROOT } from '../support/cluster.js';
import { skipUnlessAble } from '../support/require-privileged.js';
import { skipReason } from '../../packages/agent/test/privileged/helpers.js';
import { Device } from './device.js';
import { Children, run, waitForOutput, type Child, type Cmd } from './processes.js';

export const CLI = join(ROOT, 'packages/cli/dist/main.js');
const BRIDGE = join(ROOT, 'e2e/deployed/bridge.mjs');
const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why the deployed suite cannot run here (printed), or undefined; throws under CORDON_REQUIRE_PRIVILEGED=1. */
export function deployedSkipReason(engine: DeploymentOptions['engine']): string | undefined {
  const tools = ['ip', 'nft', 'nsenter', 'unshare', 'mount', 'cc', 'clamscan', 'unzip', ...(engine === 'postgres' ? ['psql'] : [])];
  const reason = skipReason(`deployed suite (${engine})`, tools);
  if (reason) return reason;
  const unbuilt = existsSync(CLI) ? undefined : `${CLI} missing (run npm run build)`;
  return skipUnlessAble(`deployed suite (${engine})`, unbuilt) ? unbuilt : undefined;
}

/** Addresses exist only inside the namespaces the harness creates. */
export const NET = {
  server: '10.238.1.1',
  device: '10.238.1.2',
  internet: '10.238.2.1',
  /** Echo listeners in "the internet". */
  internetPorts: [7001, 7002],
  serverPorts: [8080, 8081],
} as const;

const ECHO = `const net = require('net'); for (const p of process.argv.slice(1)) net.createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(+p, '0.0.0.0');
setTimeout(() => console.log('ready'), 100);`;
export interface DeploymentOptions {
  engine: 'sqlite' | 'postgres';
}

export class Deployment {
  readonly id = randomBytes(3).toString('hex');
  readonly ns = { server: `cordon-d-${this.id}-srv`, device: `cordon-d-${this.id}-dev`, internet: `cordon-d-${this.id}-inet` };
  dir = '';
  /** Actions are created through this API (on PostgreSQL: the second server process). */
  api!: Api;
  machineId = '';
  agent: Child | undefined;
  readonly #children = new Children();
  #device: Device | undefined;
  #database: string | undefined;
  readonly #namespaces: string[] = [];

  constructor(readonly options: DeploymentOptions) {}

  /** The device the agent runs on (exists once start() has set it up). */
  get device(): Device {
    if (!this.#device) throw new Error('the device is not set up');
    return this.#device;
  }

  get databaseUrl(): string | undefined {
    if (!this.#database) return undefined;
    const u = new URL(PG_URL);
    u.pathname = `/${this.#database}`;
    return u.toString();
  }

  /** Ports of the server processes this deployment runs (two on PostgreSQL). */
  get serverPorts(): number[] {
    return NET.serverPorts.slice(0, this.options.engine === 'postgres' ? 2 : 1);
  }

  serverUrl(index = 0): string {
    return `http://${NET.server}:${NET.serverPorts[index]}`;
  }

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'cordon-deployed-'));
    this.#network();
    await this.#internet();
    if (this.options.engine === 'postgres') await this.#postgres();
    const enrollVia = 0;
    const actionsVia = this.serverPorts.length - 1;
    // The process the agent enrolls through starts last, so the list of live server processes it
    // hands the agent (which isolation keeps reachable) already holds the other one.
    for (let i = actionsVia; i >= 0; i--) await this.#startServer(i);
    this.#device = new Device(this.ns.device, this.dir, this.#children);
    await this.#device.start();
    const pkg = this.#inServerNs(['onboarding-package', '--public-url', this.serverUrl(enrollVia), ...this.#serverFlags(enrollVia)]);
    await writeFile(this.device.path('/var/lib/cordon-onboarding.json'), pkg.stdout, { mode: 0o600 });
    this.api = new Api(this.serverUrl(actionsVia), { socketPath: this.#apiSocket(actionsVia) });
    // The first process to start creates the tenant and writes the admin credentials.
    await this.api.login(join(this.dir, `server-${actionsVia}`, 'credentials.json'));
    await this.startAgent(['--onboarding', '/var/lib/cordon-onboarding.json']);
    const machines = await this.api.call('GET', '/api/machines');
    if (machines.status !== 200 || machines.body.value.length !== 1) throw new Error(`expected one machine: ${JSON.stringify(machines.body)}`);
    this.machineId = machines.body.value[0].id;
  }

  /** Removes everything start() created, whatever state it is in. */
  async stop(): Promise<void> {
    this.#device?.killAll({ init: true });
    await this.#children.killAll();
    for (const ns of this.#namespaces) run(['ip', 'netns', 'del', ns], { allowFail: true });
    if (this.#database) run(['psql', PG_URL, '-c', `DROP DATABASE IF EXISTS ${this.#database} WITH (FORCE)`], { allowFail: true });
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  // --- the agent ---------------------------------------------------------------------------

  /** Starts `cordon agent` on the device, as the README does, and waits until it is connected. */
  async startAgent(extra: string[] = [], opts: { waitConnected?: boolean } = {}): Promise<Child> {
    const agent = this.device.spawn([process.execPath, CLI, 'agent', '--state', '/var/lib/cordon-agent', ...extra]);
    this.agent = agent;
    const ready = (opts.waitConnected ?? true) ? '"msg":"connected"' : 'running as machine';
    await waitForOutput(agent, ready, `the agent (${ready})`, 60_000);
    return agent;
  }

  /** Stops the agent as a service manager does (SIGTERM) and waits for it to exit. */
  async stopAgent(): Promise<void> {
    const pid = this.agentPid();
    if (pid) process.kill(pid, 'SIGTERM');
    await this.agentExit();
  }

  /** Waits until the agent process has exited; its exit code. */
  async agentExit(timeoutMs = 20_000): Promise<number | null> {
    const agent = this.agent!;
    return Promise.race([agent.exited, new Promise<never>((_r, rej) => setTimeout(() => rej(new Error('the agent did not exit')), timeoutMs))]);
  }

  /** What a reboot does: every process on the device dies at once (SIGKILL), the kernel's ruleset is gone. */
  async reboot(opts: { serverReachable: boolean }): Promise<void> {
    this.device.killAll({ init: false });
    if (this.agent) await this.agent.exited;
    run(['ip', 'netns', 'exec', this.ns.device, 'nft', 'flush', 'ruleset']);
    if (!opts.serverReachable) this.setServerLink('down');
    await this.startAgent([], { waitConnected: opts.serverReachable });
  }

  setServerLink(state: 'up' | 'down'): void {
    run(['ip', '-n', this.ns.device, 'link', 'set', 'to-srv', state]);
  }

  /** Host pid of the running `cordon agent` on the device. */
  agentPid(): number | undefined {
    return this.device.pidsRunning(CLI, 'agent')[0];
  }

  // --- networks ----------------------------------------------------------------------------

  #network(): void {
    const { server, device, internet } = this.ns;
    for (const ns of [server, device, internet]) {
      run(['ip', 'netns', 'add', ns]);
      this.#namespaces.push(ns);
      run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    run(['ip', '-n', device, 'link', 'add', 'to-srv', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', server]);
    run(['ip', '-n', device, 'link', 'add', 'to-inet', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', internet]);
    run(['ip', '-n', device, 'addr', 'add', `${NET.device}/30`, 'dev', 'to-srv']);
    run(['ip', '-n', device, 'addr', 'add', '10.238.2.2/30', 'dev', 'to-inet']);
    run(['ip', '-n', server, 'addr', 'add', `${NET.server}/30`, 'dev', 'to-dev']);
    run(['ip', '-n', internet, 'addr', 'add', `${NET.internet}/30`, 'dev', 'to-dev']);
    for (const [ns, dev] of [[device, 'to-srv'], [device, 'to-inet'], [server, 'to-dev'], [internet, 'to-dev']]) run(['ip', '-n', ns, 'link', 'set', dev, 'up']);
  }

  async #internet(): Promise<void> {
    const echo = this.#children.spawn('ip', ['netns', 'exec', this.ns.internet, process.execPath, '-e', ECHO, ...NET.internetPorts.map(String)]);
    await waitForOutput(echo, 'ready', 'the internet echo listeners', 10_000);
  }

  // --- servers -----------------------------------------------------------------------------

  async #postgres(): Promise<void> {
    const db = `cordon_deployed_${this.id}`;
    const r = run(['psql', PG_URL, '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${db}`], { allowFail: true });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr} (set CORDON_TEST_PG_URL to point the deployed suite at a PostgreSQL server)`);
    this.#database = db;
    // PostgreSQL listens on the host; the servers reach it as 127.0.0.1:5432 inside their namespace.
    const pg = new URL(PG_URL);
    const sock = join(this.dir, 'pg.sock');
    await this.#bridge(null, `unix:${sock}`, `tcp:${pg.hostname}:${pg.port || 5432}`);
    await this.#bridge(this.ns.server, `tcp:127.0.0.1:${pg.port || 5432}`, `unix:${sock}`);
  }

  #serverFlags(index: number): string[] {
    const db = this.databaseUrl;
    return ['--data', join(this.dir, `server-${index}`), ...(db ? ['--database', db] : [])];
  }

  #apiSocket(index: number): string {
    return join(this.dir, `api-${index}.sock`);
  }

  async #startServer(index: number): Promise<void> {
    const argv = ['server', '--port', String(NET.serverPorts[index]), '--host', NET.server, ...this.#serverFlags(index)];
    const server = this.#children.spawn('ip', ['netns', 'exec', this.ns.server, process.execPath, CLI, ...argv], {
      CORDON_LOG_LEVEL: 'warn',
      // The suite polls action status; MDE's per-minute API budgets would throttle it.
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 }, getPackageUri: { perMinute: 1000, perHour: 100_000 }, runLiveResponse: { perMinute: 1000, perHour: null } }),
    });
    await waitForOutput(server, 'listening on', `server ${index} to listen`, 60_000);
    await this.#bridge(this.ns.server, `unix:${this.#apiSocket(index)}`, `tcp:${NET.server}:${NET.serverPorts[index]}`);
  }

  #inServerNs(args: string[]): Cmd {
    return run(['ip', 'netns', 'exec', this.ns.server, process.execPath, CLI, ...args]);
  }

  async #bridge(ns: string | null, listen: string, connect: string): Promise<void> {
    const argv = [process.execPath, BRIDGE, listen, connect];
    const b = ns ? this.#children.spawn('ip', ['netns', 'exec', ns, ...argv]) : this.#children.spawn(argv[0], argv.slice(1));
    await waitForOutput(b, 'ready', `bridge ${listen}`, 10_000);
  }

  // --- raw HTTP ---------------------------------------------------------------------------

  /** The URL of a target (URL or path, against the API's server) and the bridge socket that reaches it. */
  #target(target: string): { url: URL; socketPath: string } {
    const url = new URL(target, this.api.baseUrl);
    const index = NET.serverPorts.findIndex((p) => String(p) === url.port);
    if (url.hostname !== NET.server || index < 0) throw new Error(`${target} does not point at a server of this deployment`);
    return { url, socketPath: this.#apiSocket(index) };
  }

  /** One request to a server of this deployment (URL or path), with exactly the headers given. */
  send(method: string, target: string, headers: Record<string, string | number> = {}, body?: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
    const { url, socketPath } = this.#target(target);
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method, headers, socketPath, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Reads a server-sent event stream (with the API token) until `enough` says so, or `timeoutMs`;
   * the events seen, in order. The stream is closed either way.
   */
  readEvents(path: string, enough: (events: { id: string; event: string; data: string }[]) => boolean, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<{ id: string; event: string; data: string }[]> {
    const { url, socketPath } = this.#target(path);
    return new Promise((resolve, reject) => {
      const events: { id: string; event: string; data: string }[] = [];
      let buffer = '';
      const req = httpRequest(url, { method: 'GET', headers: { authorization: `Bearer ${this.api.token}`, accept: 'text/event-stream', ...headers }, socketPath }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`${path}: ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) => block.split('\n').filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).replace(/^ /, '')).join('\n');
            if (field('event') || field('data')) events.push({ id: field('id'), event: field('event') || 'message', data: field('data') });
          }
          if (enough(events)) finish();
        });
      });
      const finish = () => {
        clearTimeout(timer);
        req.destroy();
        resolve(events);
      };
      const timer = setTimeout(finish, timeoutMs);
      req.on('error', (err) => (events.length ? finish() : reject(err)));
      req.end();
    });
  }

  /** GET a link (getPackageUri, GetLiveResponseResultDownloadLink) with no Authorization header. */
  fetchLink(link: string) {
    return this.send('GET', link);
  }

  /** POST a library file as multipart, with the API token. */
  async upload(fileName: string, content: string | Buffer, fields: Record<string, string> = {}): Promise<number> {
    const form = new FormData();
    form.set('File', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), fileName);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const req = new Request('http://localhost/', { method: 'POST', body: form });
    const payload = Buffer.from(await req.arrayBuffer());
    const headers = { authorization: `Bearer ${this.api.token}`, 'content-type': req.headers.get('content-type')!, 'content-length': payload.length };
    return (await this.send('POST', '/api/libraryfiles', headers, payload)).status;
  }

  // --- machine actions ---------------------------------------------------------------------

  /** POSTs a machine action and waits for a final status; the action as GET returns it. */
  async act(path: string, body: Record<string, unknown>, timeoutMs = 60_000) {
    const created = await this.api.call('POST', `/api/machines/${this.machineId}/${path}`, body);
    const expected = path === 'offboard' ? 200 : 201; // mde-api.md §4.8: offboard answers 200
    if (created.status !== expected) throw new Error(`${path}: ${created.status} ${JSON.stringify(created.body)}`);
    return this.api.waitStatus(created.body.id, ['Succeeded', 'Failed', 'Cancelled', 'TimeOut'], timeoutMs);
  }

  async machine(): Promise<{ isolationState: string; isRestricted: boolean; [k: string]: unknown }> {
    const r = await this.api.call('GET', `/api/machines/${this.machineId}`);
    if (r.status !== 200) throw new Error(`GET machine: ${r.status}`);
    return r.body;
  }
}
