/**
 * Restriction state shared by Restrict/Unrestrict and the agent-start restore. The mechanism is the
 * exec guard (platform/exec-guard.ts, fanotify); the policy is a trust list we write:
 * - every file dpkg installed (path trust, as fapolicyd's default `integrity = none` does; files
 *   replaced behind dpkg's back keep their path trust, a known limit of path trust),
 * - the agent's own runtime (node, the guard),
 * - the tenant allow-list: absolute paths, or sha256 hashes (any file with that content).
 * Because nothing else on the device is changed, "restore the previous policy exactly" is: stop the
 * guard and delete its files. Note: FAN_OPEN_EXEC_PERM fires on execve, so `sh script.sh` style
 * interpreter runs of a script are not covered (the interpreter itself is checked).
 */
import type { ExecutorContext } from '../types.js';

export type RestrictionCtx = Pick<ExecutorContext, 'platform' | 'stateDir' | 'settings' | 'log'>;

export interface RestrictionState {
  restricted: true;
  pid: number;
  since: number;
}

export const restrictionDir = (ctx: Pick<RestrictionCtx, 'stateDir'>) => `${ctx.stateDir}/restriction`;
const statePath = (ctx: Pick<RestrictionCtx, 'stateDir'>) => `${ctx.stateDir}/restriction.json`;

export async function readRestriction(ctx: RestrictionCtx): Promise<RestrictionState | undefined> {
  const t = await ctx.platform.fs.readText(statePath(ctx));
  return t ? (JSON.parse(t) as RestrictionState) : undefined;
}

export async function writeRestriction(ctx: RestrictionCtx, s: RestrictionState | undefined): Promise<void> {
  if (s) await ctx.platform.fs.writeFileAtomic(statePath(ctx), JSON.stringify(s, null, 2), 0o600);
  else await ctx.platform.fs.remove(statePath(ctx));
}

/** An error message for a malformed allow-list, checked before anything is touched. */
export function allowListError(list: readonly string[] | undefined): string | undefined {
  const bad = (list ?? []).filter((e) => !/^[0-9a-fA-F]{64}$/.test(e) && !(e.startsWith('/') && !e.includes('\n') && !e.split('/').includes('..')));
  return bad.length > 0 ? `Malformed execution allow-list entries (absolute path or sha256 expected): ${bad.join(', ')}` : undefined;
}

export async function buildTrustList(ctx: RestrictionCtx): Promise<string[]> {
  const entries = new Set<string>([...(await ctx.platform.packages.packageOwnedFiles()), ...(await ctx.platform.packages.runtimeFiles())]);
  for (const e of ctx.settings.executionAllowList ?? []) {
    if (/^[0-9a-fA-F]{64}$/.test(e)) entries.add(`sha256:${e.toLowerCase()}`);
    else entries.add((await ctx.platform.fs.realpath(e)) ?? e); // the kernel reports canonical paths
  }
  return [...entries].sort();
}

/** Writes the trust list and starts a guard on it; returns the guard's pid and the list size. */
export async function startGuard(ctx: RestrictionCtx): Promise<{ pid: number; trusted: number }> {
  const dir = restrictionDir(ctx);
  await ctx.platform.fs.mkdirp(dir, 0o700);
  const trust = await buildTrustList(ctx);
  await ctx.platform.fs.writeFileAtomic(`${dir}/trust.list`, trust.join('\n') + '\n', 0o600);
  const { pid } = await ctx.platform.execGuard.start({ trustFile: `${dir}/trust.list`, logFile: `${dir}/guard.log` });
  return { pid, trusted: trust.length };
}

export const RESTRICTED_NOTICE = {
  title: 'App execution is restricted on this device',
  body: 'Your security team restricted this device (Cordon): only trusted programs can run until the restriction is removed.',
};
export const UNRESTRICTED_NOTICE = {
  title: 'App execution restriction removed',
  body: 'Your security team removed the app restriction on this device (Cordon).',
};
