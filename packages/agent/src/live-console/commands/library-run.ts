/**
 * The console's putfile, run and getfile call the batch LiveResponse steps (executors/live-response
 * steps.ts); this builds the run they take: the command's executor context, a private working
 * folder under the state directory, and the console's limits.
 */
import { LIVE_CONSOLE_COMMANDS, LIVE_CONSOLE_LIMITS } from '@cordon/protocol';
import { CommandError, DEFAULT_LIVE_RESPONSE_OPTIONS, type Run } from '../../executors/live-response/index.js';
import type { SpawnBounded } from '../../platform/spawn-bounded.js';
import type { LiveCommandContext } from '../types.js';

export async function withConsoleRun<T>(ctx: LiveCommandContext, fn: (run: Run) => Promise<T>, extra: Partial<Run> = {}): Promise<T> {
  // putfile and getfile never spawn: only `run` needs a platform that can.
  const spawn: SpawnBounded = ctx.platform.spawnBounded ?? (() => Promise.reject(new CommandError('this agent platform cannot run scripts')));
  const ectx = ctx.executorContext();
  // A folder of its own per command: two console commands never share files, and it goes when done.
  const workDir = `${ectx.stateDir}/live-response/console-${ectx.actionId}-${Math.random().toString(36).slice(2, 10)}`;
  await ectx.platform.fs.mkdirp(`${ectx.stateDir}/live-response`, 0o700);
  await ectx.platform.fs.mkdirp(workDir, 0o700);
  const opts = {
    ...DEFAULT_LIVE_RESPONSE_OPTIONS,
    // The session manager enforces the command's own time limit through the signal; this is a backstop.
    scriptTimeoutMs: LIVE_CONSOLE_COMMANDS.run.timeoutMs + 60_000,
    maxOutputBytes: LIVE_CONSOLE_LIMITS.outputBytesPerCommand,
  };
  try {
    return await fn({ ctx: ectx, spawn, opts, workDir, present: new Set(), ...extra });
  } finally {
    await ectx.platform.fs.remove(workDir);
  }
}
