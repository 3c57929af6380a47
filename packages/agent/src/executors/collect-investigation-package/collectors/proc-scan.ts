/**
 * The /proc scans several collectors share (processes, connections, open files), each computed
 * once per package through `ctx.memo`. Processes that exit during the scan are skipped.
 */
import type { CollectorContext } from '../collector.js';
import { mapLimit } from './util.js';

export interface ProcEntry {
  pid: number;
  ppid: number;
  comm: string;
  uid: number;
  /** Clock ticks after boot (field 22 of /proc/<pid>/stat). */
  startTicks: number;
  /** readlink of /proc/<pid>/exe; '' for kernel threads. */
  exe: string;
  cmdline: string;
}

export async function pids(ctx: CollectorContext): Promise<number[]> {
  return ((await ctx.fs.readDir('/proc')) ?? [])
    .filter((e) => /^\d+$/.test(e.name))
    .map((e) => Number(e.name))
    .sort((a, b) => a - b);
}

/** Parses /proc/<pid>/stat: the name is in parentheses and may itself contain spaces or ')'. */
export function parseStat(text: string): { comm: string; ppid: number; startTicks: number } | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3].
  return { comm: text.slice(open + 1, close), ppid: Number(rest[1]), startTicks: Number(rest[19]) };
}

export function processes(ctx: CollectorContext): Promise<ProcEntry[]> {
  return ctx.memo('procs', async () => {
    const entries = await mapLimit(await pids(ctx), 32, async (pid): Promise<ProcEntry | undefined> => {
      const stat = parseStat((await ctx.fs.readFile(`/proc/${pid}/stat`, 4096))?.data.toString('utf8') ?? '');
      if (!stat) return undefined;
      const status = (await ctx.fs.readFile(`/proc/${pid}/status`, 16384))?.data.toString('utf8') ?? '';
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
      const cmd = (await ctx.fs.readFile(`/proc/${pid}/cmdline`, 65536))?.data.toString('utf8') ?? '';
      const exe = (await ctx.fs.readLink(`/proc/${pid}/exe`).catch(() => undefined)) ?? '';
      return { pid, ...stat, uid, exe, cmdline: cmd.replace(/\0+$/, '').split('\0').join(' ') };
    });
    return entries.filter((e): e is ProcEntry => e !== undefined);
  });
}

export interface FdEntry {
  pid: number;
  fd: number;
  target: string;
}

/** Every open descriptor (readlink of /proc/<pid>/fd/<n>), up to `MAX_FDS` in all. */
export const MAX_FDS = 200_000;

export function openFds(ctx: CollectorContext): Promise<{ fds: FdEntry[]; truncated: boolean }> {
  return ctx.memo('fds', async () => {
    const fds: FdEntry[] = [];
    let truncated = false;
    await mapLimit(await pids(ctx), 32, async (pid) => {
      const names = (await ctx.fs.readDir(`/proc/${pid}/fd`).catch(() => undefined)) ?? [];
      const links = await Promise.all(names.map(async (n) => ({ fd: Number(n.name), target: await ctx.fs.readLink(`/proc/${pid}/fd/${n.name}`).catch(() => undefined) })));
      for (const l of links) {
        if (l.target === undefined) continue;
        if (fds.length >= MAX_FDS) truncated = true;
        else fds.push({ pid, fd: l.fd, target: l.target });
      }
    });
    fds.sort((a, b) => a.pid - b.pid || a.fd - b.fd);
    return { fds, truncated };
  });
}
