/**
 * LiveResponse (mde-api.md §4.9, §4.10): runs PutFile, RunScript and GetFile commands in order
 * inside a private working folder. Each command reports `Created` when it starts and `Completed` or
 * `Failed` when it ends, through `ctx.progress`, so the server can fill `commands[]`. The first
 * failure stops the run: later commands stay `Created` and the action is Failed.
 *
 * A script that exits non-zero is `Completed`: the command ran, and MDE reports the exit code in
 * the transcript rather than failing the command. A script that times out is `Failed`.
 */
import { constants } from 'node:os';
import { RESULT_MAX_BYTES } from '@cordon/protocol';
import type { SpawnBounded } from '../../platform/spawn-bounded.js';
import type { ActionExecutor, ExecutorContext } from '../types.js';
import { parseCommands, type LiveResponseStep } from './commands.js';
import { chooseInterpreter } from './interpreter.js';

export { splitArgs, FORBIDDEN_ARG_CHARACTERS } from './args.js';
export { parseCommands, type LiveResponseStep } from './commands.js';

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

/** What a command produced for the server: the result blob (RunScript transcript, GetFile file). */
type CommandResult = Record<string, unknown> | null;

/** A command failure with a message for `errors[]` (anything else thrown is unexpected). */
class CommandError extends Error {}

/** Scripts get a fixed, minimal environment rather than the agent's own (which may hold secrets). */
function scriptEnv(workDir: string): Record<string, string> {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: workDir, TMPDIR: workDir };
}

function truncatedNote(text: string, truncated: boolean, max: number): string {
  return truncated ? `${text}\n[output truncated: only the first ${max} bytes were kept]` : text;
}

interface Run {
  ctx: ExecutorContext;
  spawn: SpawnBounded;
  opts: Required<LiveResponseOptions>;
  workDir: string;
  /** Library files already in the working folder (PutFile, or a script downloaded earlier). */
  present: Set<string>;
}

async function putFile(run: Run, fileName: string): Promise<CommandResult> {
  try {
    await run.ctx.files.downloadLibraryFile(fileName, `${run.workDir}/${fileName}`, run.ctx.signal);
  } catch (e) {
    run.ctx.signal.throwIfAborted();
    throw new CommandError(`could not download library file ${fileName}: ${e instanceof Error ? e.message : String(e)}`);
  }
  run.present.add(fileName);
  return null; // PutFile produces no result (mde-api.md §4.9)
}

async function runScript(run: Run, index: number, scriptName: string, args: string[]): Promise<CommandResult> {
  const { ctx, workDir } = run;
  // MDE runs library scripts by name: one not put earlier in this action is fetched now.
  if (!run.present.has(scriptName)) await putFile(run, scriptName);
  const scriptPath = `${workDir}/${scriptName}`;
  const head = ((await ctx.platform.fs.readText(scriptPath)) ?? '').slice(0, 256);
  const interpreter = chooseInterpreter(scriptName, head);
  if (!interpreter.ok) throw new CommandError(interpreter.error);
  const [program, ...programArgs] = interpreter.argv;
  let res;
  try {
    res = await run.spawn(program, [...programArgs, scriptPath, ...args], {
      cwd: workDir,
      env: scriptEnv(workDir),
      timeoutMs: run.opts.scriptTimeoutMs,
      maxOutputBytes: run.opts.maxOutputBytes,
      signal: ctx.signal,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CommandError(code === 'ENOENT' ? `${program} is not installed on this device: cannot run ${scriptName}` : `cannot start ${program}: ${(e as Error).message}`);
  }
  if (res.aborted) ctx.signal.throwIfAborted();
  if (res.timedOut) throw new CommandError(`${scriptName} timed out after ${Math.round(run.opts.scriptTimeoutMs / 1000)} s and was killed`);
  const signalNumber = res.signal ? (constants.signals as Record<string, number>)[res.signal] : undefined;
  const transcript = {
    script_name: scriptName,
    exit_code: res.exitCode ?? 128 + (signalNumber ?? 0),
    script_output: truncatedNote(res.stdout.toString('utf8'), res.stdoutTruncated, run.opts.maxOutputBytes),
    script_errors: truncatedNote(res.stderr.toString('utf8'), res.stderrTruncated, run.opts.maxOutputBytes),
  };
  const transcriptPath = `${workDir}/.transcript-${index}.json`;
  await ctx.platform.fs.writeFileAtomic(transcriptPath, JSON.stringify(transcript), 0o600);
  const up = await ctx.files.uploadResult(transcriptPath, { name: `${scriptName}.transcript.json`, contentType: 'application/json', commandIndex: index, signal: ctx.signal });
  return { blobId: up.blobId, size: up.size, sha256: up.sha256, exitCode: transcript.exit_code, outputTruncated: res.stdoutTruncated || res.stderrTruncated };
}

async function getFile(run: Run, index: number, path: string): Promise<CommandResult> {
  const { ctx } = run;
  const max = run.opts.maxGetFileBytes;
  const info = await ctx.platform.fs.stat(path);
  if (!info) throw new CommandError(`${path} does not exist`);
  // Devices, FIFOs, sockets and directories are refused: only regular files have a content to send.
  if (!info.isFile) throw new CommandError(`${path} is not a regular file`);
  if (info.size > max) throw new CommandError(`${path} is ${info.size} bytes, over the ${max}-byte GetFile limit`);
  const name = path.slice(path.lastIndexOf('/') + 1);
  // Why a snapshot rather than streaming the file itself: an upload is signed with its content's
  // SHA-256 before the first byte goes (the server authenticates it and checks every byte against
  // it), so the content must be fixed before sending. Reading the file twice (hash, then send)
  // fails on files that change while read — /proc/<pid>/status, a log being written — with a
  // checksum mismatch or a body shorter than its Content-Length. One read, bounded by the cap
  // (st_size is 0 on procfs, and a log grows), copies it into the action's private working folder
  // with its hash; that copy, which cannot change, is what is sent. Cost: the file's size in the
  // state directory until the command ends.
  const snapshot = `${run.workDir}/.getfile-${index}`;
  try {
    const snap = await ctx.platform.fs.snapshotFile(path, snapshot, { maxBytes: max, signal: ctx.signal }).catch((e: unknown) => {
      ctx.signal.throwIfAborted();
      throw new CommandError(`could not read ${path}: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (!snap.ok) throw new CommandError(`${path} holds more than ${max} bytes, over the GetFile limit`);
    const up = await ctx.files.uploadResult(snapshot, { name, contentType: 'application/octet-stream', commandIndex: index, digest: { size: snap.size, sha256: snap.sha256 }, signal: ctx.signal }).catch((e: unknown) => {
      ctx.signal.throwIfAborted();
      throw new CommandError(`could not upload ${path}: ${e instanceof Error ? e.message : String(e)}`);
    });
    return { blobId: up.blobId, size: up.size, sha256: up.sha256, name, path };
  } finally {
    await ctx.platform.fs.remove(snapshot);
  }
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
