/**
 * Where scans and file searches look, and which paths they may never read.
 * Quick covers where malware lands and runs from: temp and shm directories, users' download, cache
 * and local bin folders, autostart locations (XDG, cron, systemd units, init scripts, profile.d),
 * and the executables of running processes. Full covers every local filesystem (platform.localMounts
 * leaves pseudo and network filesystems out; clamscan --cross-fs=no keeps each walk on its mount).
 */
import { normalize } from 'node:path';
import type { Platform } from '../../platform/types.js';

const SYSTEM_QUICK = [
  '/tmp', '/var/tmp', '/dev/shm', '/run/shm',
  '/etc/xdg/autostart', '/etc/cron.d', '/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly',
  '/var/spool/cron', '/etc/systemd/system', '/etc/init.d', '/etc/rc.local', '/etc/profile.d', '/usr/local/bin',
];
const HOME_QUICK = ['Downloads', '.cache', '.local/bin', '.config/autostart', '.config/systemd/user', '.local/share/Trash'];

/** Roots no scan or search may read: kernel pseudo filesystems (reads there can have side effects). */
const FORBIDDEN = ['/proc', '/sys', '/dev'];
const ALLOWED_UNDER_FORBIDDEN = ['/dev/shm'];

/** Whether `p` is `root` or inside it (plain path comparison: both absolute and normalised). */
export const isUnder = (p: string, root: string) => p === root || p.startsWith(root === '/' ? '/' : `${root}/`);

/** An error message when a path may not be scanned or searched; undefined when it may. */
export function readablePathError(path: string, stateDir: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0') || normalize(path) !== path) {
    return `Refused path "${path}": an absolute, normalised path is required`;
  }
  if (FORBIDDEN.some((f) => isUnder(path, f)) && !ALLOWED_UNDER_FORBIDDEN.some((a) => isUnder(path, a))) return `Refused path "${path}": pseudo filesystems are never read`;
  if (isUnder(path, stateDir)) return `Refused path "${path}": the agent's own state (quarantine) is never scanned`;
  return undefined;
}

/**
 * The tenant's scan exclusions this agent applies: the server validates and normalises them, but the
 * agent reads only what it can compare safely (absolute, normalised, not `/`) and ignores the rest.
 */
export function scanExclusions(configured: readonly unknown[] | undefined): string[] {
  const ok = (p: unknown): p is string => typeof p === 'string' && p.startsWith('/') && p !== '/' && !p.includes('\0') && normalize(p) === p && !p.endsWith('/');
  return [...new Set((Array.isArray(configured) ? configured : []).filter(ok))];
}

export interface LocationOptions {
  /** Prefix for every system location (tests point it at a temp tree). Default ''. */
  root?: string;
  /** Where home directories are. Default `${root}/home`, plus `${root}/root`. */
  homes?: string;
}

/**
 * Full: every local mount that may be read. A mount under a pseudo filesystem (a tmpfs at
 * /sys/fs/cgroup on cgroup v1 hosts) or the agent's own state is left out rather than refusing the
 * scan: nothing on it is a place a Full scan is meant to cover.
 */
export async function fullLocations(platform: Platform, stateDir: string): Promise<string[]> {
  return (await platform.fs.localMounts()).filter((m) => readablePathError(m, stateDir) === undefined);
}

export async function quickLocations(platform: Platform, options: LocationOptions = {}): Promise<string[]> {
  const root = options.root ?? '';
  const homeBase = options.homes ?? `${root}/home`;
  const homes = [...(await platform.fs.readDir(homeBase)).map((h) => `${homeBase}/${h}`), `${root}/root`];
  const candidates = [...SYSTEM_QUICK.map((p) => root + p), ...homes.flatMap((h) => HOME_QUICK.map((d) => `${h}/${d}`))];
  const exes = options.root === undefined ? (await platform.proc.list()).map((p) => p.exe).filter((e) => !e.endsWith(' (deleted)')) : [];
  const out: string[] = [];
  for (const p of [...candidates, ...new Set(exes)]) if (!out.includes(p) && (await platform.fs.lstat(p))) out.push(p);
  return out;
}
