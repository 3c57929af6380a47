/**
 * A stand-in agent process for the privileged tests: runs one executor (or a restore, as the agent
 * does on start) with the real Linux platform and prints the result as JSON. Run it inside the
 * namespace under test (`ip netns exec`, `unshare`), so the real mechanism acts on that namespace.
 *   node --import tsx agent-cli.ts <command> <stateDir> [settingsBodyJson] [paramsJson]
 * settingsBodyJson is a `PUT /api/cordon/settings` body, turned into what the server would send.
 * CORDON_SERVER_URL is the server URL of the stand-in's identity (what an onboarding package gives
 * a real agent); isolation keeps it reachable, as it keeps a real agent's.
 * Notices go to <stateDir>/notices.log instead of wall, so no test ever writes to host terminals.
 */
import { appendFile } from 'node:fs/promises';
import { createLinuxPlatform } from '../../src/platform/index.js';
import { createIsolateExecutor } from '../../src/executors/isolate/index.js';
import { unisolateExecutor } from '../../src/executors/unisolate/index.js';
import { restrictCodeExecutionExecutor } from '../../src/executors/restrict-code-execution/index.js';
import { unrestrictCodeExecutionExecutor } from '../../src/executors/unrestrict-code-execution/index.js';
import type { ActionExecutor, ExecutorContext } from '../../src/executors/types.js';
import { KnownServers } from '../../src/known-servers.js';
import { agentSettings } from '../support/agent-settings.js';

const [cmd, stateDir, settingsJson = '{}', paramsJson = '{}'] = process.argv.slice(2);
const platform = createLinuxPlatform({
  toolsDir: process.env.CORDON_TOOLS_DIR ?? `${stateDir}/tools`,
  restrictMounts: process.env.CORDON_RESTRICT_MOUNTS?.split(','),
  notifier: { notifyUsers: (title) => appendFile(`${stateDir}/notices.log`, `${title}\n`) },
});
const log = { info: () => {}, warn: () => {}, error: (o: Record<string, unknown>, m?: string) => console.error(m, o) };
const servers = new KnownServers([process.env.CORDON_SERVER_URL ?? 'https://cordon.invalid']);
const ctx: ExecutorContext = {
  actionId: 'privileged-test',
  signal: new AbortController().signal,
  log,
  platform,
  files: { downloadLibraryFile: () => Promise.reject(new Error('n/a')), uploadResult: () => Promise.reject(new Error('n/a')) },
  now: () => Date.now(),
  stateDir,
  settings: agentSettings(JSON.parse(settingsJson)),
  serverUrls: () => servers.urls(),
  progress: () => {},
};
const isolate = createIsolateExecutor({ refreshIntervalMs: 0 });
const table: Record<string, ActionExecutor<never>> = {
  isolate, unisolate: unisolateExecutor, restrict: restrictCodeExecutionExecutor, unrestrict: unrestrictCodeExecutionExecutor,
};
const params = JSON.parse(paramsJson);
if (cmd === 'restore-isolation') {
  await isolate.restore!(ctx);
  console.log(JSON.stringify({ restored: true }));
} else if (cmd === 'restore-restriction') {
  await restrictCodeExecutionExecutor.restore!(ctx);
  console.log(JSON.stringify({ restored: true }));
} else {
  const ex = table[cmd];
  const bad = ex.validate(params);
  console.log(JSON.stringify(bad ? { status: 'Refused', message: bad } : await ex.run(params as never, ctx)));
}
