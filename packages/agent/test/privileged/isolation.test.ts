/**
 * Isolate / Unisolate for real: three network namespaces joined by veth pairs (server, device,
 * "internet"), echo listeners in server and internet, and the agent's executors run inside the
 * device namespace by a separate agent process (agent-cli.ts). Nothing touches the host's network:
 * every address and rule lives in namespaces this test creates and deletes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_CLI, run, skipReason, tsNode } from './helpers.js';

const skip = skipReason('isolation (netns + nft)', ['ip', 'nft']);
const id = randomBytes(3).toString('hex');
const NS = { srv: `cordon-t-${id}-srv`, dev: `cordon-t-${id}-dev`, inet: `cordon-t-${id}-inet` };
const SRV = '10.237.1.1';
const INET = '10.237.2.1';
const PORT = 8080;

const ECHO = `require('net').createServer(s => s.pipe(s)).listen(${PORT}, '0.0.0.0', () => console.log('listening'))`;
const PROBE = `const s = require('net').connect(+process.argv[2], process.argv[1]);
s.setTimeout(1500, () => process.exit(1)); s.on('error', () => process.exit(1));
s.on('connect', () => s.write('ping')); s.on('data', () => process.exit(0));`;
const CHANNEL = `const s = require('net').connect(${PORT}, '${SRV}'); s.on('error', e => { console.log('error ' + e.code); });
process.stdin.on('data', d => s.write(d)); s.on('data', d => process.stdout.write(d));`;

const ip = (...args: string[]) => run(['ip', ...args]);
const inDev = (argv: string[], allowFail = false) => run(['ip', 'netns', 'exec', NS.dev, ...argv], { allowFail });
const reaches = (host: string) => inDev([process.execPath, '-e', PROBE, host, String(PORT)], true).status === 0;
/** The stand-in agent, enrolled (as far as isolation knows) with the server at `serverUrl`. */
const agent = (cmd: string, stateDir: string, settings: object, params: object = {}, serverUrl = `http://${SRV}:${PORT}`) =>
  JSON.parse(inDev(['env', `CORDON_SERVER_URL=${serverUrl}`, ...tsNode(AGENT_CLI, cmd, stateDir, JSON.stringify(settings), JSON.stringify(params))]).stdout.trim().split('\n').pop()!);

describe.skipIf(skip)('isolation in network namespaces', () => {
  const children: ChildProcess[] = [];
  let stateDir: string;
  let channel: ChildProcess;
  const settings = {};

  function channelSays(line: string): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), 5000);
      const on = (d: Buffer) => {
        if (d.toString().includes(line)) {
          clearTimeout(t);
          channel.stdout!.off('data', on);
          resolve(true);
        }
      };
      channel.stdout!.on('data', on);
      channel.stdin!.write(`${line}\n`);
    });
  }

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'cordon-iso-priv-'));
    for (const ns of Object.values(NS)) ip('netns', 'add', ns);
    ip('-n', NS.dev, 'link', 'add', 'to-srv', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', NS.srv);
    ip('-n', NS.dev, 'link', 'add', 'to-inet', 'type', 'veth', 'peer', 'name', 'to-dev', 'netns', NS.inet);
    ip('-n', NS.dev, 'addr', 'add', '10.237.1.2/30', 'dev', 'to-srv');
    ip('-n', NS.dev, 'addr', 'add', '10.237.2.2/30', 'dev', 'to-inet');
    ip('-n', NS.srv, 'addr', 'add', `${SRV}/30`, 'dev', 'to-dev');
    ip('-n', NS.inet, 'addr', 'add', `${INET}/30`, 'dev', 'to-dev');
    for (const [ns, dev] of [[NS.dev, 'to-srv'], [NS.dev, 'to-inet'], [NS.srv, 'to-dev'], [NS.inet, 'to-dev']]) ip('-n', ns, 'link', 'set', dev, 'up');
    for (const ns of Object.values(NS)) ip('-n', ns, 'link', 'set', 'lo', 'up');
    for (const ns of [NS.srv, NS.inet]) {
      const c = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', ECHO], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      await new Promise((r) => c.stdout!.once('data', r));
    }
    // A table someone else owns: release must leave it alone.
    inDev(['nft', 'add', 'table', 'inet', 'someone_else']);
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const ns of Object.values(NS)) run(['ip', 'netns', 'del', ns], { allowFail: true });
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('should reach both hosts before isolation', () => {
    expect(reaches(SRV)).toBe(true);
    expect(reaches(INET)).toBe(true);
    channel = spawn('ip', ['netns', 'exec', NS.dev, process.execPath, '-e', CHANNEL], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(channel);
  });

  it('should keep the server (and the open control channel) and cut the rest once isolated', async () => {
    expect(await channelSays('before')).toBe(true);
    const r = agent('isolate', stateDir, settings, { IsolationType: 'Full' });
    expect(r.status).toBe('Succeeded');
    expect(inDev(['nft', 'list', 'table', 'inet', 'cordon_isolation']).stdout).toContain(`${SRV} . ${PORT}`);
    expect(reaches(SRV)).toBe(true);
    expect(reaches(INET)).toBe(false);
    expect(await channelSays('while-isolated')).toBe(true);
  });

  it('should re-apply isolation in a fresh agent process after a reboot dropped the rules', () => {
    inDev(['nft', 'delete', 'table', 'inet', 'cordon_isolation']); // what a reboot does to the ruleset
    expect(reaches(INET)).toBe(true);
    expect(agent('restore-isolation', stateDir, settings)).toEqual({ restored: true });
    expect(reaches(SRV)).toBe(true);
    expect(reaches(INET)).toBe(false);
  });

  it('should let Selective isolation through to the tenant exceptions', () => {
    const r = agent('isolate', stateDir, { ...settings, isolationExceptions: [`${INET}/32`] }, { IsolationType: 'Selective' });
    expect(r.status).toBe('Succeeded');
    expect(reaches(INET)).toBe(true);
    expect(agent('isolate', stateDir, settings, { IsolationType: 'Full' }).status).toBe('Succeeded');
    expect(reaches(INET)).toBe(false);
  });

  it('should restore both after release, remove only its own table, and have told the users', async () => {
    const r = agent('unisolate', stateDir, settings);
    expect(r).toEqual({ status: 'Succeeded', output: { wasIsolated: true } });
    expect(reaches(SRV)).toBe(true);
    expect(reaches(INET)).toBe(true);
    const tables = inDev(['nft', 'list', 'tables']).stdout;
    expect(tables).toContain('table inet someone_else');
    expect(tables).not.toContain('cordon_isolation');
    expect(agent('restore-isolation', stateDir, settings)).toEqual({ restored: true });
    expect(reaches(INET)).toBe(true); // released stays released across a restart
    expect(await channelSays('after')).toBe(true);
    const notices = (await readFile(join(stateDir, 'notices.log'), 'utf8')).trim().split('\n');
    expect(notices[0]).toBe('This device has been isolated');
    expect(notices.at(-1)).toBe('This device has been released from isolation');
  });

  it('should refuse, touching nothing, when the server cannot be reached by name', () => {
    const r = agent('isolate', stateDir, {}, { IsolationType: 'Full' }, 'https://cordon-server.invalid');
    expect(r).toMatchObject({ status: 'Failed', error: { code: 'IsolationRefused' } });
    expect(inDev(['nft', 'list', 'tables']).stdout).not.toContain('cordon_isolation');
    expect(reaches(INET)).toBe(true);
  });
});
