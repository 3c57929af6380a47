/**
 * Runs inside the bench's device namespace (`ip netns exec`): times the real executors with the
 * Linux platform and prints one JSON line. Invoked only by bench/response-actions.ts.
 *   node --import tsx response-actions-worker.ts <isolate|kill> <stateDir> <json args>
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { appendFile } from 'node:fs/promises';
import { createLinuxPlatform } from '../packages/agent/src/platform/index.js';
import { createIsolateExecutor } from '../packages/agent/src/executors/isolate/index.js';
import { unisolateExecutor } from '../packages/agent/src/executors/unisolate/index.js';
import { createStopAndQuarantineFileExecutor } from '../packages/agent/src/executors/stop-and-quarantine-file/index.js';
import type { TenantSettingsBody } from '@cordon/protocol';
import type { ExecutorContext } from '../packages/agent/src/executors/types.js';
import { agentSettings } from '../packages/agent/test/support/agent-settings.js';

const [cmd, stateDir, argsJson = '{}'] = process.argv.slice(2) as [string, string, string?];
const args = JSON.parse(argsJson) as Record<string, unknown>;
const platform = createLinuxPlatform({ toolsDir: `${stateDir}/tools`, notifier: { notifyUsers: (title) => appendFile(`${stateDir}/notices.log`, `${title}\n`) } });
const ctx = (settings: TenantSettingsBody, serverUrls: string[] = []): ExecutorContext => ({
  actionId: 'bench',
  signal: new AbortController().signal,
  log: { info: () => {}, warn: () => {}, error: () => {}, child() { return this; } } as unknown as ExecutorContext['log'],
  platform,
  files: { downloadLibraryFile: () => Promise.reject(new Error('n/a')), uploadResult: () => Promise.reject(new Error('n/a')) } as unknown as ExecutorContext['files'],
  now: () => Date.now(),
  stateDir,
  settings: agentSettings(settings),
  serverUrls: () => serverUrls,
  progress: () => {},
});

/** true when host:port answers within `ms` (a dropped SYN times out: that is "blocked"). */
function reaches(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(ms, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => done(true));
  });
}

if (cmd === 'isolate') {
  const { host, port, server } = args as { host: string; port: number; server: string };
  const settings = {};
  const serverUrls = [`http://${server}`];
  const isolate = createIsolateExecutor({ refreshIntervalMs: 0 });
  if (!(await reaches(host, port, 1000))) throw new Error('target not reachable before isolation');
  const t0 = performance.now();
  const res = await isolate.run({ IsolationType: 'Full' }, ctx(settings, serverUrls));
  const t1 = performance.now();
  const blocked = !(await reaches(host, port, 300));
  const serverOk = await reaches(server.split(':')[0]!, Number(server.split(':')[1]), 1000);
  const u0 = performance.now();
  const un = await unisolateExecutor.run({}, ctx(settings, serverUrls));
  const u1 = performance.now();
  const restored = await reaches(host, port, 1000);
  console.log(JSON.stringify({ status: res.status, unStatus: un.status, isolateMs: t1 - t0, unisolateMs: u1 - u0, blocked, serverOk, restored }));
} else if (cmd === 'kill') {
  const { binary, sha1, dir } = args as { binary: string; sha1: string; dir: string };
  const child = spawn(binary, ['3600'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  const exited = new Promise<number>((r) => child.once('exit', () => r(performance.now())));
  const quarantine = createStopAndQuarantineFileExecutor();
  const t0 = performance.now();
  const res = await quarantine.run({ Sha1: sha1 }, ctx({ quarantineSearchPaths: [dir] }));
  const t1 = performance.now();
  const exitAt = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), 2000))]);
  console.log(JSON.stringify({ status: res.status, output: res.status === 'Succeeded' ? res.output : res.error, totalMs: t1 - t0, processGoneMs: exitAt < 0 ? null : exitAt - t0 }));
}
