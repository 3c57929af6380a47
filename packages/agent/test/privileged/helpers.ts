/** Shared guards for the privileged suite: run only as root with the real tools, say so when not. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { skipUnlessAble } from '../../../../e2e/support/require-privileged.js';

export const isRoot = process.getuid?.() === 0;

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Why the suite cannot run here, or undefined; printed when it is skipped, and a failure instead
 * under CORDON_REQUIRE_PRIVILEGED=1 (the repository's one rule, e2e/support/require-privileged.ts).
 */
export function skipReason(suite: string, tools: string[], needRoot = true): string | undefined {
  const missing = tools.filter((t) => !hasTool(t));
  const reason = needRoot && !isRoot ? 'not running as root' : missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
  return skipUnlessAble(suite, reason) ? reason : undefined;
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
