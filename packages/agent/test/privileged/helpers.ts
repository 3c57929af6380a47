/** Shared guards for the privileged suite: run only as root with the real tools, say so when not. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const isRoot = process.getuid?.() === 0;

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Why the suite cannot run here, or undefined; prints a plain line when it is skipped. With
 * CORDON_REQUIRE_PRIVILEGED=1 (CI) it throws instead: a machine that silently skips the privileged
 * and deployed suites would report green without having tested a single real effect.
 */
export function skipReason(suite: string, tools: string[], needRoot = true, env: Record<string, string | undefined> = process.env): string | undefined {
  const missing = tools.filter((t) => !hasTool(t));
  const reason = needRoot && !isRoot ? 'not running as root' : missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
  if (reason && env.CORDON_REQUIRE_PRIVILEGED === '1') throw new Error(`[privileged] ${suite} cannot run: ${reason} (CORDON_REQUIRE_PRIVILEGED=1)`);
  if (reason) console.warn(`[privileged] SKIPPED ${suite}: ${reason}`);
  return reason;
}

export const AGENT_CLI = fileURLToPath(new URL('./agent-cli.ts', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** argv to run a TypeScript file with node + tsx (the child is a fresh "agent" process). */
export function tsNode(file: string, ...args: string[]): string[] {
  return [process.execPath, '--import', 'tsx', file, ...args];
}

export function run(argv: string[], opts: { input?: string; allowFail?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(argv[0], argv.slice(1), { input: opts.input, encoding: 'utf8', cwd: REPO_ROOT, timeout: 120_000 });
  const out = { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (out.status !== 0 && !opts.allowFail) throw new Error(`${argv.join(' ')} failed (${out.status}): ${out.stderr}`);
  return out;
}
