/**
 * Runs inside `unshare -m --propagation private` (see restriction.test.ts): mounts a tmpfs test
 * filesystem and a private bind of /usr/bin, restricts execution on exactly those two mounts, and
 * reports what could run at each step as JSON. Mounts and marks vanish with the namespace.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinuxPlatform } from '../../src/platform/index.js';
import { restrictCodeExecutionExecutor } from '../../src/executors/restrict-code-execution/index.js';
import type { ExecutorContext } from '../../src/executors/types.js';
import { AGENT_CLI, tsNode } from './helpers.js';
import { agentSettings } from '../support/agent-settings.js';

const work = process.argv[2];
const mnt = join(work, 'mnt');
const stateDir = join(work, 'state');
mkdirSync(mnt, { recursive: true });
mkdirSync(stateDir, { recursive: true });
const must = (argv: string[]) => {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
};
must(['mount', '-t', 'tmpfs', 'cordon-test', mnt]);
must(['mount', '--bind', '/usr/bin', '/usr/bin']);

// Distinct contents (a suffix after the ELF image does not stop it running) so hashes differ.
const make = (name: string) => {
  copyFileSync('/usr/bin/true', join(mnt, name));
  appendFileSync(join(mnt, name), `cordon-${name}`);
  return join(mnt, name);
};
const untrusted = make('untrusted');
const byPath = make('allowed-by-path');
const byHash = make('allowed-by-hash');
const hashAllowed = createHash('sha256').update(readFileSync(byHash)).digest('hex');
const tryRun = (p: string) => {
  const r = spawnSync(p, []);
  return r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`;
};

const body = { executionAllowList: [byPath, hashAllowed] };
const settings = agentSettings(body);
const env = { ...process.env, CORDON_RESTRICT_MOUNTS: `${mnt},/usr/bin`, CORDON_TOOLS_DIR: join(stateDir, 'tools') };
const platform = createLinuxPlatform({ toolsDir: env.CORDON_TOOLS_DIR, restrictMounts: [mnt, '/usr/bin'], notifier: { notifyUsers: async () => {} } });
const ctx = {
  actionId: 't', signal: new AbortController().signal, platform, stateDir, settings, serverUrls: () => [], now: () => Date.now(), progress: () => {},
  log: { info: () => {}, warn: () => {}, error: () => {} },
  files: {} as ExecutorContext['files'],
} satisfies ExecutorContext;
const agent = (cmd: string) => spawnSync(tsNode(AGENT_CLI, cmd, stateDir, JSON.stringify(body))[0], tsNode(AGENT_CLI, cmd, stateDir, JSON.stringify(body)).slice(1), { env, encoding: 'utf8' });
const guardPid = () => JSON.parse(readFileSync(join(stateDir, 'restriction.json'), 'utf8')).pid as number;

const obs: Record<string, unknown> = { before: tryRun(untrusted) };
obs.restrict = await restrictCodeExecutionExecutor.run({}, ctx);
obs.restricted = { untrusted: tryRun(untrusted), byPath: tryRun(byPath), byHash: tryRun(byHash), packageOwned: tryRun('/usr/bin/true') };
process.kill(guardPid(), 'SIGKILL'); // the guard dies with a reboot; the state says "restricted"
await new Promise((r) => setTimeout(r, 100));
obs.guardDead = tryRun(untrusted);
obs.restoreInFreshAgent = agent('restore-restriction').stdout.trim();
obs.afterRestore = { untrusted: tryRun(untrusted), packageOwned: tryRun('/usr/bin/true') };
obs.unrestrict = JSON.parse(agent('unrestrict').stdout.trim());
obs.afterUnrestrict = { untrusted: tryRun(untrusted), byPath: tryRun(byPath) };
try { readFileSync(join(stateDir, "restriction.json")); obs.stateLeft = true; } catch { obs.stateLeft = false; }
console.log(JSON.stringify(obs));
