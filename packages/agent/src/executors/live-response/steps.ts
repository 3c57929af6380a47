/**
 * The three steps of a live response command list — PutFile, RunScript, GetFile — as functions of a
 * run (its context, working folder and limits). The batch LiveResponse executor runs them in order;
 * the live console's putfile, run and getfile call the same functions one at a time.
 */
import { constants } from 'node:os';
import type { SpawnBounded, SpawnBoundedResult } from '../../platform/spawn-bounded.js';
import type { ExecutorContext } from '../types.js';
import type { LiveResponseOptions } from './index.js';
import { chooseInterpreter } from './interpreter.js';

/** What a command produced for the server: the result blob (RunScript transcript, GetFile file). */
export type CommandResult = Record<string, unknown> | null;

/** A command failure with a message for `errors[]` (anything else thrown is unexpected). */
export class CommandError extends Error {}

/** Scripts get a fixed, minimal environment rather than the agent's own (which may hold secrets). */
function scriptEnv(workDir: string): Record<string, string> {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: workDir, TMPDIR: workDir };
}

function truncatedNote(text: string, truncated: boolean, max: number): string {
  return truncated ? `${text}\n[output truncated: only the first ${max} bytes were kept]` : text;
}

export interface Run {
  ctx: ExecutorContext;
  spawn: SpawnBounded;
  opts: Required<LiveResponseOptions>;
  workDir: string;
  /** Library files already in the working folder (PutFile, or a script downloaded earlier). */
  present: Set<string>;
  /** Receives the script's output as it is produced (the console streams it). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  /** Where scripts run; default the working folder. */
  scriptCwd?: string;
}

export async function putFile(run: Run, fileName: string): Promise<CommandResult> {
  try {
    await run.ctx.files.downloadLibraryFile(fileName, `${run.workDir}/${fileName}`, run.ctx.signal);
  } catch (e) {
    run.ctx.signal.throwIfAborted();
    throw new CommandError(`could not download library file ${fileName}: ${e instanceof Error ? e.message : String(e)}`);
  }
  run.present.add(fileName);
  return null; // PutFile produces no result (mde-api.md §4.9)
}

/**
 * Fetches the library script if this run has not yet, picks its interpreter from the name and the
 * first line, and runs it with the argv in the run's folder; resolves with how it ended.
 */
export async function spawnScript(run: Run, scriptName: string, args: readonly string[]): Promise<SpawnBoundedResult> {
  const { ctx, workDir } = run;
  // MDE runs library scripts by name: one not put earlier in this action is fetched now.
  if (!run.present.has(scriptName)) await putFile(run, scriptName);
  const scriptPath = `${workDir}/${scriptName}`;
  const head = ((await ctx.platform.fs.readText(scriptPath)) ?? '').slice(0, 256);
  const interpreter = chooseInterpreter(scriptName, head);
  if (!interpreter.ok) throw new CommandError(interpreter.error);
  const [program, ...programArgs] = interpreter.argv;
  try {
    return await run.spawn(program, [...programArgs, scriptPath, ...args], {
      cwd: run.scriptCwd ?? workDir,
      env: scriptEnv(workDir),
      timeoutMs: run.opts.scriptTimeoutMs,
      maxOutputBytes: run.opts.maxOutputBytes,
      signal: ctx.signal,
      ...(run.onOutput ? { onOutput: run.onOutput } : {}),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CommandError(code === 'ENOENT' ? `${program} is not installed on this device: cannot run ${scriptName}` : `cannot start ${program}: ${(e as Error).message}`);
  }
}

export async function runScript(run: Run, index: number, scriptName: string, args: string[]): Promise<CommandResult> {
  const { ctx, workDir } = run;
  const res = await spawnScript(run, scriptName, args);
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

export async function getFile(run: Run, index: number, path: string): Promise<CommandResult> {
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

