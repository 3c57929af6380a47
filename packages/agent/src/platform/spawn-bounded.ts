/**
 * Runs a program (argv, never a shell) in its own process group with a timeout, an abort signal
 * and a byte cap per output stream. Unlike `exec.ts` it reports *why* it stopped (timed out,
 * aborted) and whether output was cut, which live response's RunScript needs for its transcript.
 *
 * The child leads a new process group (`detached`), so a timeout or cancel kills the script and
 * everything it started (SIGTERM, then SIGKILL after a grace period). When the script itself exits,
 * whatever is left in its group is killed too: otherwise a backgrounded child holding the output
 * pipes open would keep the command "running" forever.
 */
import { spawn } from 'node:child_process';

export interface SpawnBoundedOptions {
  cwd?: string;
  /** The whole environment (not merged with the agent's: scripts get only what is passed). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Bytes kept per stream; the rest is dropped and the stream marked truncated. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL on timeout or abort. */
  killGraceMs?: number;
  /** Every chunk as it arrives (whether kept or past the cap): the console streams a script's output. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface SpawnBoundedResult {
  /** Null when the process was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  timedOut: boolean;
  aborted: boolean;
}

/** Rejects only when the program cannot be started (the error's `code`, e.g. ENOENT, EACCES). */
export type SpawnBounded = (file: string, args: readonly string[], options?: SpawnBoundedOptions) => Promise<SpawnBoundedResult>;

function sink(max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  return {
    push(b: Buffer) {
      if (size >= max) {
        truncated = truncated || b.length > 0;
        return;
      }
      const part = b.subarray(0, max - size);
      if (part.length < b.length) truncated = true;
      chunks.push(part);
      size += part.length;
    },
    get: () => ({ data: Buffer.concat(chunks), truncated }),
  };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone, or not made yet (the child has not reached setsid): kill the child.
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export const spawnBounded: SpawnBounded = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const { maxOutputBytes = 1024 * 1024, killGraceMs = 2000 } = options;
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? {},
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out = sink(maxOutputBytes);
    const err = sink(maxOutputBytes);
    let timedOut = false;
    let aborted = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      killGroup(child.pid, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), killGraceMs);
      graceTimer.unref();
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), stop()), options.timeoutMs);
    const onAbort = () => ((aborted = true), stop());
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const { onOutput } = options;
    child.stdout.on('data', (b: Buffer) => (out.push(b), onOutput?.('stdout', b)));
    child.stderr.on('data', (b: Buffer) => (err.push(b), onOutput?.('stderr', b)));
    child.on('error', (e) => {
      cleanup();
      reject(e);
    });
    child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
    child.on('close', (code, sig) => {
      cleanup();
      const o = out.get();
      const e = err.get();
      resolve({ exitCode: code, signal: sig, stdout: o.data, stderr: e.data, stdoutTruncated: o.truncated, stderrTruncated: e.truncated, timedOut, aborted });
    });
  });
