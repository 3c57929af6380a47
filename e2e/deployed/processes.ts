/** Child processes of the deployed suite: one-shot commands with a deadline, and tracked long-running ones. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { waitFor } from '../support/cluster.js';

export interface Cmd {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (60 s deadline by default); throws on a non-zero exit unless allowFail. */
export function run(argv: string[], opts: { input?: string; allowFail?: boolean; timeoutMs?: number } = {}): Cmd {
  const r = spawnSync(argv[0], argv.slice(1), { input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000 });
  const out = { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (out.status !== 0 && !opts.allowFail) throw new Error(`${argv.join(' ')} failed (${out.status}): ${out.stderr}`);
  return out;
}

export interface Child {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Long-running children, all killed by killAll() (afterAll), whatever state the test left. */
export class Children {
  readonly #live = new Set<Child>();

  spawn(cmd: string, args: string[], env: Record<string, string> = {}): Child {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const c: Child = { child, output: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
    this.#live.add(c);
    void c.exited.then(() => this.#live.delete(c));
    return c;
  }

  /** SIGKILLs every child still running and waits (at most 5 s each) for them to go. */
  async killAll(): Promise<void> {
    for (const c of this.#live) c.child.kill('SIGKILL');
    await Promise.all([...this.#live].map((c) => Promise.race([c.exited, new Promise((r) => setTimeout(r, 5000))])));
  }
}

/** Waits until a child has printed `text`; the error carries the end of its output. */
export async function waitForOutput(c: Child, text: string, what: string, timeoutMs: number): Promise<void> {
  await waitFor(what, () => c.output().includes(text) || undefined, timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${err.message}; its output: ${c.output().slice(-2000)}`);
  });
}
