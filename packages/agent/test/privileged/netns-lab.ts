/**
 * A small network for isolation tests: three network namespaces this test creates (server, device,
 * "internet"), the device joined to each of the other two by a veth pair, and TCP echo listeners.
 * Names are random and every address lives inside them, so the host's network is never touched;
 * `remove()` deletes them (and whatever still runs in them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { run } from './helpers.js';

const ECHO = (port: number) => `require('net').createServer(s => s.pipe(s)).listen(${port}, '0.0.0.0', () => console.log('listening'))`;
const PROBE = `const s = require('net').connect(+process.argv[2], process.argv[1]);
s.setTimeout(1500, () => process.exit(1)); s.on('error', () => process.exit(1));
s.on('connect', () => s.write('ping')); s.on('data', () => process.exit(0));`;

export interface NetnsLab {
  ns: { srv: string; dev: string; inet: string };
  /** The server's and the internet's addresses, as the device reaches them. */
  srv: string;
  inet: string;
  /** Runs argv in the device namespace. */
  inDev(argv: string[], allowFail?: boolean): { status: number; stdout: string; stderr: string };
  /** True when a TCP echo at host:port answers from the device namespace. */
  reaches(host: string, port: number): boolean;
  /** Starts an echo listener on `port` in a namespace; resolves once it listens. */
  echo(ns: string, port: number): Promise<ChildProcess>;
  remove(): void;
}

/** `octet` picks the 10.<octet>.x.x addresses (distinct per suite, for readable failures). */
export function createNetnsLab(prefix: string, octet: number): NetnsLab {
  const id = randomBytes(3).toString('hex');
  const ns = { srv: `${prefix}-${id}-srv`, dev: `${prefix}-${id}-dev`, inet: `${prefix}-${id}-inet` };
  const net = `10.${octet}`;
  const ip = (...args: string[]) => run(['ip', ...args]);
  const children: ChildProcess[] = [];
  for (const name of Object.values(ns)) ip('netns', 'add', name);
  ip('-n', ns.dev, 'link', 'add', 'to-srv', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', ns.srv);
  ip('-n', ns.dev, 'link', 'add', 'to-inet', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', ns.inet);
  ip('-n', ns.dev, 'addr', 'add', `${net}.1.2/30`, 'dev', 'to-srv');
  ip('-n', ns.dev, 'addr', 'add', `${net}.2.2/30`, 'dev', 'to-inet');
  ip('-n', ns.srv, 'addr', 'add', `${net}.1.1/30`, 'dev', 'to-dev');
  ip('-n', ns.inet, 'addr', 'add', `${net}.2.1/30`, 'dev', 'to-dev');
  for (const [name, dev] of [[ns.dev, 'to-srv'], [ns.dev, 'to-inet'], [ns.srv, 'to-dev'], [ns.inet, 'to-dev']] as const) ip('-n', name, 'link', 'set', dev, 'up');
  for (const name of Object.values(ns)) ip('-n', name, 'link', 'set', 'lo', 'up');
  const inDev = (argv: string[], allowFail = false) => run(['ip', 'netns', 'exec', ns.dev, ...argv], { allowFail });
  return {
    ns,
    srv: `${net}.1.1`,
    inet: `${net}.2.1`,
    inDev,
    reaches: (host, port) => inDev([process.execPath, '-e', PROBE, host, String(port)], true).status === 0,
    async echo(name, port) {
      const c = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', ECHO(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      await new Promise((r) => c.stdout!.once('data', r));
      return c;
    },
    remove() {
      for (const c of children) c.kill('SIGKILL');
      for (const name of Object.values(ns)) run(['ip', 'netns', 'del', name], { allowFail: true });
    },
  };
}
