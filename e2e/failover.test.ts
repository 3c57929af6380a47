/**
 * Nodes that fail over: three `cordon server` processes on one PostgreSQL, all serving one
 * certificate (`cordon tls create`), behind HAProxy run from the shipped deploy/haproxy/cordon.cfg
 * (only its addresses and ports replaced). Agents enrolled through the balancer, and agents whose
 * onboarding package lists the nodes' own URLs, are connected; the node holding them is SIGKILLed.
 * Every agent comes back on another node, actions created through the balancer right after the
 * kill all reach Succeeded, and tokens minted before the kill (or by another node) still work.
 *
 * Root (HAProxy drops to its `haproxy` user) and PostgreSQL at CORDON_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test); a database is created and dropped for the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, freePort, killAll, machineIdOf, ROOT, runCordon, spawnCordon, waitFor, type Proc } from './support/cluster.js';
import { skipUnlessAble } from './support/require-privileged.js';

const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const canRun = process.getuid?.() !== 0 ? 'not running as root (HAProxy switches to its own user)' : spawnSync('sh', ['-c', 'command -v haproxy'], { stdio: 'ignore' }).status !== 0 ? 'haproxy is not installed' : undefined;

function psql(sql: string): void {
  const r = spawnSync('psql', [PG_URL, '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr} (set CORDON_TEST_PG_URL=postgres://user@host:port/db to point this test at a PostgreSQL server)`);
}

/** The shipped HAProxy config with its listen address and node addresses replaced, nothing else. */
function templateHaproxyConfig(shipped: string, listen: string, nodes: readonly string[]): string {
  let binds = 0;
  let servers = 0;
  const out = shipped
    .split('\n')
    .map((line) => {
      const bind = /^(\s*bind )\S+(.*)$/.exec(line);
      if (bind) {
        binds++;
        return `${bind[1]}${listen}${bind[2]}`;
      }
      const server = /^(\s*server node(\d+) )\S+(.*)$/.exec(line);
      if (server) {
        servers++;
        const address = nodes[Number(server[2]) - 1];
        if (!address) throw new Error(`the shipped config names node${server[2]}, the test runs ${nodes.length}`);
        return `${server[1]}${address}${server[3]}`;
      }
      return line;
    })
    .join('\n');
  if (binds !== 1 || servers !== nodes.length) throw new Error(`the shipped config has ${binds} bind and ${servers} server lines; expected 1 and ${nodes.length}`);
  return out;
}

interface Node {
  name: string;
  port: number;
  url: string;
  env: Record<string, string>;
  proc: Proc;
}

interface TestAgent {
  name: string;
  via: 'balancer' | 'nodes';
  transport: 'websocket' | 'long-poll';
  proc: Proc;
  machineId: string;
}

/** Established TCP connections whose local port is `port` (the node's side of its clients). */
function establishedTo(port: number): number {
  const r = spawnSync('ss', ['-Htn', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ss: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

/** The server URL of each `connected` line the agent logged, in order. */
function connections(agent: TestAgent): string[] {
  return agent.proc
    .output()
    .split('\n')
    .filter((l) => l.includes('"msg":"connected"'))
    .map((l) => String((JSON.parse(l) as { serverUrl?: string }).serverUrl));
}

describe.skipIf(skipUnlessAble('failover behind HAProxy', canRun))('nodes that fail over', () => {
  let dir: string;
  let db: string;
  let haproxy: ChildProcess | undefined;
  let haproxyOutput = '';
  let lbUrl: string;
  let api: Api;
  const nodes: Node[] = [];
  const agents: TestAgent[] = [];
  let victim: Node;

  const startAgent = async (name: string, via: TestAgent['via'], transport: TestAgent['transport'], onboarding: string) => {
    const state = join(dir, `agent-${name}`);
    const proc = spawnCordon(['agent', '--onboarding', onboarding, '--state', state, '--platform', 'fake', '--transport', transport, '--name', `failover-${name}`], {
      CORDON_FAKE_DELAY_MS: '50',
      CORDON_AGENT_BACKOFF_MAX_MS: '2000',
    });
    await waitFor(`agent ${name} to connect`, () => proc.output().includes('"msg":"connected"') || undefined, 30_000);
    const agent: TestAgent = { name, via, transport, proc, machineId: await machineIdOf(state) };
    agents.push(agent);
    return agent;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-failover-'));
    db = `cordon_e2e_failover_${randomBytes(4).toString('hex')}`;
    psql(`CREATE DATABASE ${db}`);
    const u = new URL(PG_URL);
    u.pathname = `/${db}`;
    const tls = await runCordon(['tls', 'create', '--out', join(dir, 'tls'), '--hostname', '127.0.0.1'], {});
    expect(tls.code, tls.output).toBe(0);
    const lbPort = await freePort();
    lbUrl = `https://127.0.0.1:${lbPort}`;
    for (const name of ['node1', 'node2', 'node3']) {
      const port = await freePort();
      const env = {
        CORDON_DATA: join(dir, name),
        CORDON_PORT: String(port),
        CORDON_DATABASE_URL: u.toString(),
        CORDON_PUBLIC_URL: lbUrl,
        CORDON_TLS_CERT: join(dir, 'tls', 'cert.pem'),
        CORDON_TLS_KEY: join(dir, 'tls', 'key.pem'),
        CORDON_LOG_LEVEL: 'warn',
        CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 } }),
      };
      // One at a time: the first bootstraps the tenant, the others find it.
      const proc = spawnCordon(['server'], env);
      await waitFor(`${name} to listen`, () => proc.output().includes('listening on') || undefined, 30_000);
      nodes.push({ name, port, url: `https://127.0.0.1:${port}`, env, proc });
    }
    const shipped = await readFile(join(ROOT, 'deploy/haproxy/cordon.cfg'), 'utf8');
    const cfg = join(dir, 'haproxy.cfg');
    await writeFile(cfg, templateHaproxyConfig(shipped, `127.0.0.1:${lbPort}`, nodes.map((n) => `127.0.0.1:${n.port}`)));
    haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    haproxy.stdout!.on('data', (d: Buffer) => (haproxyOutput += d.toString()));
    haproxy.stderr!.on('data', (d: Buffer) => (haproxyOutput += d.toString()));
    api = new Api(lbUrl);
    await waitFor('the API through HAProxy', async () => (await new Api(lbUrl).call('GET', '/healthz')).status === 200 || undefined, 20_000, 200).catch((err: unknown) => {
      throw new Error(`${String(err)}\nhaproxy said:\n${haproxyOutput}`);
    });
    await api.login(join(dir, 'node1', 'credentials.json'));

    const viaBalancer = await runCordon(['onboarding-package', '--max-uses', '4'], nodes[0]!.env);
    expect(viaBalancer.code, viaBalancer.output).toBe(0);
    await writeFile(join(dir, 'onboarding-lb.json'), viaBalancer.stdout);
    for (const [name, transport] of [['lb-ws1', 'websocket'], ['lb-ws2', 'websocket'], ['lb-lp1', 'long-poll'], ['lb-lp2', 'long-poll']] as const) {
      await startAgent(name, 'balancer', transport, join(dir, 'onboarding-lb.json'));
    }
    // HAProxy hashes the client address: every agent here comes from 127.0.0.1, so one node holds them.
    victim = await waitFor('the node holding the agents', () => nodes.find((n) => establishedTo(n.port) >= 4), 10_000, 100);

    // Agents that reach the nodes directly, the victim listed first.
    const order = [victim, ...nodes.filter((n) => n !== victim)];
    const direct = await runCordon(['onboarding-package', '--max-uses', '2', '--agent-server-urls', order.map((n) => n.url).join(',')], nodes[0]!.env);
    expect(direct.code, direct.output).toBe(0);
    await writeFile(join(dir, 'onboarding-nodes.json'), direct.stdout);
    for (const [name, transport] of [['direct-ws', 'websocket'], ['direct-lp', 'long-poll']] as const) {
      await startAgent(name, 'nodes', transport, join(dir, 'onboarding-nodes.json'));
    }
  }, 240_000);

  afterAll(async () => {
    haproxy?.kill('SIGKILL');
    killAll();
    await new Promise((r) => setTimeout(r, 300));
    if (db) psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should give agents enrolled for the nodes every node URL, with the one pin all nodes serve', async () => {
    const pkg = JSON.parse(await readFile(join(dir, 'onboarding-nodes.json'), 'utf8')) as { serverUrl: string; serverUrls: string[]; tlsCertSha256: string };
    expect(pkg.serverUrls).toEqual([victim.url, ...nodes.filter((n) => n !== victim).map((n) => n.url)]);
    expect(pkg.serverUrl).toBe(victim.url);
    const lbPkg = JSON.parse(await readFile(join(dir, 'onboarding-lb.json'), 'utf8')) as { serverUrls: string[]; tlsCertSha256: string };
    expect(lbPkg.serverUrls).toEqual([lbUrl]);
    expect(lbPkg.tlsCertSha256).toBe(pkg.tlsCertSha256);
    for (const a of agents.filter((x) => x.via === 'nodes')) expect(connections(a)).toEqual([victim.url]);
  });

  it('should accept a token minted by one node on every other node and through the balancer', async () => {
    const [a, b] = nodes.filter((n) => n !== victim) as [Node, Node];
    const minter = new Api(a.url);
    await minter.login(join(dir, 'node1', 'credentials.json'));
    for (const url of [b.url, victim.url, lbUrl]) {
      const other = new Api(url);
      other.token = minter.token;
      expect((await other.call('GET', '/api/machines')).status).toBe(200);
    }
  });

  it("should bring a SIGKILLed node's agents back on the other nodes, and deliver every action created after the kill", async () => {
    const before = new Map(agents.map((a) => [a.name, connections(a).length]));
    const tokenBeforeKill = api.token;
    const killedAt = Date.now();
    victim.proc.child.kill('SIGKILL');
    await victim.proc.exited;

    // Created at once, while the agents are still reconnecting: they wait Pending, then run.
    const after = new Api(lbUrl);
    after.token = tokenBeforeKill;
    const created: { agent: TestAgent; id: string }[] = [];
    for (const agent of agents) {
      const res = await after.call('POST', `/api/machines/${agent.machineId}/isolate`, { Comment: `failover ${agent.name}`, IsolationType: 'Full' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      created.push({ agent, id: (res.body as { id: string }).id });
    }

    for (const agent of agents) {
      await waitFor(`agent ${agent.name} to reconnect`, () => connections(agent).length > before.get(agent.name)! || undefined, 30_000, 100);
    }
    const reconnectedAt = Date.now();
    for (const agent of agents.filter((a) => a.via === 'nodes')) {
      const last = connections(agent).at(-1);
      expect(nodes.filter((n) => n !== victim).map((n) => n.url)).toContain(last);
    }
    for (const { id } of created) {
      const done = await after.waitStatus(id, ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'], 30_000);
      expect(done.status, JSON.stringify(done)).toBe('Succeeded');
    }
    // For the record, not a threshold: how long the failover took on this machine.
    console.log(`failover: ${agents.length} agents back ${reconnectedAt - killedAt} ms after the SIGKILL, ${created.length} actions Succeeded ${Date.now() - killedAt} ms after it`);
    const machines = (await after.call('GET', '/api/machines')).body as { value: { id: string; isolationState: string; healthStatus: string }[] };
    for (const agent of agents) {
      expect(machines.value.find((m) => m.id === agent.machineId)).toMatchObject({ isolationState: 'Isolated', healthStatus: 'Active' });
    }
  });
});
