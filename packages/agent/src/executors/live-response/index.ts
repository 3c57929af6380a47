/**
 * LiveResponse (mde-api.md §4.9, §4.10): runs PutFile, RunScript and GetFile commands in order
 * inside a private working folder. Each command reports `Created` when it starts and `Completed` or
 * `Failed` when it ends, through `ctx.progress`, so the server can fill `commands[]`. The first
 * failure stops the run: later commands stay `Created` and the action is Failed.
 *
 * A script that exits non-zero is `Completed`: the command ran, and MDE reports the exit code in
 * the transcript rather than failing the command. A script that times out is `Failed`.
 */
import { RESULT_MAX_BYTES } from '@cordon/protocol';
import type { ActionExecutor } from '../types.js';
import { parseCommands, type LiveResponseStep } from './commands.js';
import { getFile, putFile, runScript, type CommandResult, type Run } from './steps.js';

export { splitArgs, FORBIDDEN_ARG_CHARACTERS } from './args.js';
export { parseCommands, type LiveResponseStep } from './commands.js';
export { CommandError, getFile, putFile, spawnScript, type Run } from './steps.js';

export interface LiveResponseOptions {
  /** RunScript time limit (MDE: 10 minutes). */
  scriptTimeoutMs?: number;
  /** Bytes kept per output stream of a script. */
  maxOutputBytes?: number;
  /** Largest file GetFile uploads: the server's limit for a file result (MDE: 3 GB). */
  maxGetFileBytes?: number;
}

export const DEFAULT_LIVE_RESPONSE_OPTIONS: Required<LiveResponseOptions> = {
  scriptTimeoutMs: 10 * 60_000,
  maxOutputBytes: 1024 * 1024,
  maxGetFileBytes: RESULT_MAX_BYTES.file,
};

type CommandStatus = 'Created' | 'InProgress' | 'Completed' | 'Failed';

interface CommandState {
  index: number;
  commandStatus: CommandStatus;
  startTime: string | null;
  endTime: string | null;
  errors: string[];
}

function runStep(run: Run, index: number, step: LiveResponseStep): Promise<CommandResult> {
  if (step.type === 'PutFile') return putFile(run, step.fileName);
  if (step.type === 'RunScript') return runScript(run, index, step.scriptName, step.args);
  return getFile(run, index, step.path);
}

export function createLiveResponseExecutor(options: LiveResponseOptions = {}): ActionExecutor {
  const opts = { ...DEFAULT_LIVE_RESPONSE_OPTIONS, ...options };
  return {
    type: 'LiveResponse',
    capability: 'liveResponse',
    validate(params) {
      const parsed = parseCommands(params);
      return parsed.ok ? undefined : parsed.error;
    },
    async run(params, ctx) {
      const parsed = parseCommands(params);
      if (!parsed.ok) return { status: 'Failed', error: { code: 'InvalidParameters', message: parsed.error } };
      const spawn = ctx.platform.spawnBounded;
      if (!spawn) return { status: 'Failed', error: { code: 'NotSupported', message: 'this agent platform cannot run live response scripts (no spawnBounded)' } };
      const iso = () => new Date(ctx.now()).toISOString();
      const states: CommandState[] = parsed.steps.map((_, index) => ({ index, commandStatus: 'Created', startTime: null, endTime: null, errors: [] }));
      const results: CommandResult[] = parsed.steps.map(() => null);
      const report = (s: CommandState) => ctx.progress({ commandIndex: s.index, commandStatus: s.commandStatus, startTime: s.startTime, endTime: s.endTime, errors: s.errors, result: results[s.index] });
      const workDir = `${ctx.stateDir}/live-response/${ctx.actionId}`;
      await ctx.platform.fs.mkdirp(`${ctx.stateDir}/live-response`, 0o700);
      await ctx.platform.fs.mkdirp(workDir, 0o700);
      const run: Run = { ctx, spawn, opts, workDir, present: new Set() };
      let failure: { index: number; message: string } | undefined;
      try {
        for (const [i, step] of parsed.steps.entries()) {
          const state = states[i];
          state.startTime = iso();
          state.commandStatus = 'InProgress';
          report(state);
          try {
            results[i] = await runStep(run, i, step);
            state.commandStatus = 'Completed';
          } catch (e) {
            state.commandStatus = 'Failed';
            state.errors = [ctx.signal.aborted ? 'the action was cancelled or timed out' : e instanceof Error ? e.message : String(e)];
            failure = { index: i, message: state.errors[0] };
          }
          state.endTime = iso();
          report(state);
          ctx.signal.throwIfAborted();
          if (failure) break;
        }
      } finally {
        await ctx.platform.fs.remove(workDir);
      }
      const output = { commands: states, results };
      if (!failure) return { status: 'Succeeded', output };
      const skipped = states.length - failure.index - 1;
      // Numbered from 1, as the person who wrote the list counts them (the UI lists commands from 1).
      const message = `Command ${failure.index + 1} of ${states.length} (${parsed.steps[failure.index].type}) failed: ${failure.message}${skipped > 0 ? `; ${skipped} later command(s) not run` : ''}`;
      return { status: 'Failed', error: { code: 'LiveResponseCommandFailed', message }, output };
    },
  };
}

/** With MDE's limits (10-minute scripts, 1 MB per output stream, 3 GB GetFile). */
export const liveResponse = createLiveResponseExecutor();
