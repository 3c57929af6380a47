/**
 * `Exec` over `child_process.spawn` (not execFile: we need stdin for `nft -f -` and a byte cap on
 * output that drops the rest instead of failing). Never uses a shell. An optional prefix runs every
 * command through a wrapper, e.g. `['ip', 'netns', 'exec', 'ns']` in the namespace tests.
 */
import { spawn } from 'node:child_process';
import type { Exec, ExecOptions, ExecResult } from './types.js';

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

export function createExec(options: { prefix?: readonly string[] } = {}): Exec {
  const prefix = options.prefix ?? [];
  return (file, args, opts = {}) => {
    const [cmd, argv] = prefix.length > 0 ? [prefix[0], [...prefix.slice(1), file, ...args]] : [file, [...args]];
    return run(cmd, argv, opts);
  };
}

function run(file: string, args: string[], opts: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(opts.signal.reason ?? new Error('aborted'));
      return;
    }
    const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: opts.signal,
      timeout: opts.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out = capped(max);
    const err = capped(max);
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(opts.signal?.reason ?? e);
      else if (e.code === 'ENOENT') resolve({ exitCode: 127, stdout: '', stderr: `${file}: command not found` });
      else reject(e);
    });
    child.on('close', (code, sig) => {
      if (opts.signal?.aborted) return; // the 'error' handler rejected already
      resolve({ exitCode: code ?? (sig ? 128 : 1), stdout: out.text(), stderr: err.text() });
    });
    child.stdin.on('error', () => {}); // the program may exit without reading stdin
    child.stdin.end(opts.input ?? '');
  });
}

function capped(max: number): { push: (b: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push: (b) => {
      if (size >= max) return;
      const part = b.subarray(0, max - size);
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}
