/**
 * Package file names and path facts several rules share. The file names are the agent
 * collectors' (packages/agent/src/executors/collect-investigation-package/collectors/).
 */
import type { PackageView } from './package-view.js';
import type { RuleHit } from './rule.js';

export const PACKAGE_FILES = {
  processes: 'Processes/Processes.csv',
  connections: 'Network connections/ActiveNetConnections.csv',
  scheduledTasks: 'Scheduled tasks/ScheduledTasks.csv',
  users: 'Users and Groups/Users.csv',
  ldSoPreload: 'Autoruns/LdSoPreload.txt',
  rcLocal: 'Autoruns/RcLocal.txt',
  xdgAutostart: 'Autoruns/XdgAutostart.txt',
  systemdEnabledUnits: 'Autoruns/SystemdEnabledUnits.txt',
  historyFolder: 'History/',
} as const;

/** World-writable scratch places: nothing legitimate is installed there. */
export const TEMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/shm/'] as const;

/** Where package managers (dpkg, rpm, snap) and admins' configuration put what they own. */
export const MANAGED_PREFIXES = ['/usr/', '/bin/', '/sbin/', '/lib/', '/lib32/', '/lib64/', '/libx32/', '/opt/', '/etc/', '/snap/', '/var/lib/snapd/', '/nix/store/'] as const;

const DELETED_SUFFIX = ' (deleted)';

/** readlink of /proc/<pid>/exe appends " (deleted)" once the file is unlinked. */
export function isDeletedExe(exe: string): boolean {
  return exe.endsWith(DELETED_SUFFIX);
}

export function stripDeleted(exe: string): string {
  return isDeletedExe(exe) ? exe.slice(0, -DELETED_SUFFIX.length) : exe;
}

export function inTempDir(path: string): boolean {
  return TEMP_DIRS.some((d) => path.startsWith(d));
}

export function inManagedPrefix(path: string): boolean {
  return MANAGED_PREFIXES.some((d) => path.startsWith(d));
}

const SHA1 = /^[0-9a-f]{40}$/i;

export interface ProcessRow {
  pid: number;
  ppid: number;
  user: string;
  executable: string;
  commandLine: string;
  sha256: string;
  /** '' when the agent did not write the ExecutableSha1 column (older agents) or the value is not a SHA-1. */
  sha1: string;
  raw: string;
}

export function processRows(pkg: PackageView): ProcessRow[] {
  return pkg.csv(PACKAGE_FILES.processes).map((r) => ({
    pid: Number(r.Pid),
    ppid: Number(r.Ppid),
    user: r.User ?? '',
    executable: r.Executable ?? '',
    commandLine: r.CommandLine ?? '',
    sha256: (r.ExecutableSha256 ?? '').toLowerCase(),
    // It becomes a StopAndQuarantineFile parameter, so only a well-formed hash is kept.
    sha1: SHA1.test(r.ExecutableSha1 ?? '') ? r.ExecutableSha1!.toLowerCase() : '',
    raw: Object.values(r).join(','),
  }));
}

/** The program a command line runs: its first word, unquoted (enough for paths, which is what rules check). */
export function firstWord(command: string): string {
  const t = command.trim();
  if (t.startsWith('"') || t.startsWith("'")) {
    const end = t.indexOf(t[0]!, 1);
    return end > 0 ? t.slice(1, end) : t.slice(1);
  }
  return t.split(/\s+/)[0] ?? '';
}

/** Caps evidence text so one huge line cannot bloat an alert. */
export function cap(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A finding about one running process: where in the package it was seen, and what identifies it. */
export function processHit(p: ProcessRow, description: string): RuleHit {
  return {
    description,
    packagePath: PACKAGE_FILES.processes,
    filePath: stripDeleted(p.executable),
    processId: p.pid,
    commandLine: cap(p.commandLine),
    accountName: p.user,
    sha256: p.sha256 || null,
    sha1: p.sha1 || null,
    detail: cap(p.raw),
  };
}
