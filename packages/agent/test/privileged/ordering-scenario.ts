/**
 * Runs inside `unshare -m -n --propagation private` (see ordering.test.ts): the agent's runner with
 * the real executors and the real Linux platform, fed signed actions back to back as the server
 * would send them, on a tmpfs restricted with fanotify and in a network namespace of its own.
 * Reports each action's outcome and what the device looks like after each sequence, as JSON.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalActionText, type FinishOutcome, type SignedActionFields } from '@cordon/protocol';
import { signText } from '../../src/crypto.js';
import { createExecutorRegistry } from '../../src/executors/index.js';
import { createLinuxPlatform } from '../../src/platform/index.js';
import { Runner } from '../../src/runner.js';
import { ActionJournal } from '../../src/state.js';
import { agentSettings } from '../support/agent-settings.js';

const work = process.argv[2]!;
const mnt = join(work, 'mnt');
const stateDir = join(work, 'state');
mkdirSync(mnt, { recursive: true });
mkdirSync(stateDir, { recursive: true });
const must = (argv: string[]) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
must(['mount', '-t', 'tmpfs', 'cordon-test', mnt]);
must(['ip', 'link', 'set', 'lo', 'up']);
copyFileSync('/usr/bin/true', join(mnt, 'untrusted'));
appendFileSync(join(mnt, 'untrusted'), 'cordon-untrusted');
const tryRun = () => {
  const r = spawnSync(join(mnt, 'untrusted'), []);
  return r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`;
};
const isolated = () => must(['nft', 'list', 'tables']).includes('cordon_isolation');

const MACHINE = 'c'.repeat(40);
const server = generateKeyPairSync('ed25519');
const platform = createLinuxPlatform({ toolsDir: join(stateDir, 'tools'), restrictMounts: [mnt], notifier: { notifyUsers: async () => {} } });
const outcomes = new Map<string, FinishOutcome>();
const refusals = new Map<string, string>();
const silent = { info: () => {}, warn: () => {}, error: (o: Record<string, unknown>, m?: string) => console.error(m, o) };
const runner = new Runner({
  machineId: MACHINE,
  keys: new Map([['k1', server.publicKey]]),
  journal: await ActionJournal.open(stateDir),
  executors: new Map(Object.entries(createExecutorRegistry())),
  transport: {
    async request<R>(method: string, params: unknown): Promise<R> {
      const p = params as { actionId: string; outcome?: FinishOutcome; code?: string };
      if (method === 'action/finish') outcomes.set(p.actionId, p.outcome!);
      if (method === 'action/refuse') refusals.set(p.actionId, p.code!);
      return { status: method === 'action/finish' ? p.outcome!.status : 'InProgress' } as R;
    },
  },
  context: (actionId, signal, progress) => ({
    actionId, signal, progress, log: silent, platform, files: {} as never, now: () => Date.now(), stateDir, settings: agentSettings(),
    // Nothing listens there: isolation keeps it reachable, and the reachability check is skipped.
    serverUrls: () => ['https://127.0.0.2:8443'],
  }),
  now: () => Date.now(),
  log: silent,
  onOffboarded: async () => {},
});

let second = 0;
const dispatch = (id: string, type: string, parameters: Record<string, unknown> = {}, createdSecond = ++second) => {
  const f: SignedActionFields = { id, machineId: MACHINE, type, parameters, expiresAt: new Date(Date.now() + 600_000).toISOString(), runTimeoutMs: 120_000, createdAt: `2026-11-21T11:00:${String(createdSecond).padStart(2, '0')}.0000000Z` };
  runner.onDispatch({ ...f, keyId: 'k1', signature: signText(server.privateKey, canonicalActionText(f)) });
};
const statusOf = (id: string) => outcomes.get(id)?.status ?? refusals.get(id) ?? 'none';

const obs: Record<string, unknown> = { before: tryRun() };
dispatch('restrict-1', 'RestrictCodeExecution');
dispatch('unrestrict-1', 'UnrestrictCodeExecution');
await runner.idle();
obs.restrictThenUnrestrict = { restrict: statusOf('restrict-1'), unrestrict: statusOf('unrestrict-1'), untrusted: tryRun(), stateLeft: existsSync(join(stateDir, 'restriction.json')) };

dispatch('isolate-1', 'Isolate', { IsolationType: 'Full' });
dispatch('unisolate-1', 'Unisolate');
await runner.idle();
obs.isolateThenUnisolate = { isolate: statusOf('isolate-1'), unisolate: statusOf('unisolate-1'), isolated: isolated() };

// The later Unrestrict arrives first (a live dispatch overtaking the catch-up): the older Restrict must not undo it.
dispatch('restrict-2', 'RestrictCodeExecution', {}, 31);
dispatch('unrestrict-2', 'UnrestrictCodeExecution', {}, 32);
await runner.idle();
dispatch('unrestrict-3', 'UnrestrictCodeExecution', {}, 42);
await runner.idle();
dispatch('restrict-3', 'RestrictCodeExecution', {}, 41);
await runner.idle();
obs.overtaken = { unrestrict: statusOf('unrestrict-3'), restrict: statusOf('restrict-3'), untrusted: tryRun() };
console.log(JSON.stringify(obs));
