/**
 * Running processes as CSV, read from /proc (no `ps`): pid, ppid, user, start time, executable,
 * command line and the executable's SHA-256. Each distinct executable is hashed once, keyed by
 * (dev, inode) of /proc/<pid>/exe, which also hashes binaries deleted since they started.
 */
import type { Collector, CollectorContext } from '../collector.js';
import { toCsv } from '../csv.js';
import { processes } from './proc-scan.js';
import { mapLimit, userName } from './util.js';

/** USER_HZ: /proc reports start times in these ticks; it is 100 on every Linux ABI the agent targets. */
const TICKS_PER_SECOND = 100;
/** Executables larger than this are listed without a hash (keeps the package fast). */
const MAX_HASH_BYTES = 512 * 1024 * 1024;

async function bootTimeSeconds(ctx: CollectorContext): Promise<number | undefined> {
  const stat = (await ctx.fs.readFile('/proc/stat', 1024 * 1024))?.data.toString('utf8') ?? '';
  const m = /^btime (\d+)$/m.exec(stat);
  return m ? Number(m[1]) : undefined;
}

export const processList: Collector = {
  name: 'Processes',
  folder: 'Processes',
  fileName: 'Processes.csv',
  command: 'read /proc/<pid>/{stat,status,cmdline,exe}, /proc/stat btime; sha256 of each distinct /proc/<pid>/exe',
  async collect(ctx) {
    const [procs, btime] = await Promise.all([processes(ctx), bootTimeSeconds(ctx)]);
    const hashes = new Map<string, Promise<string>>();
    const rows = await mapLimit(procs, 8, async (p) => {
      let sha = '';
      if (p.exe) {
        const info = await ctx.fs.stat(`/proc/${p.pid}/exe`).catch(() => undefined);
        if (info) {
          const key = `${info.dev}:${info.ino}`;
          if (!hashes.has(key)) hashes.set(key, ctx.fs.sha256(`/proc/${p.pid}/exe`, MAX_HASH_BYTES).then((h) => h ?? '', () => ''));
          sha = await hashes.get(key)!;
        }
      }
      const start = btime === undefined || !Number.isFinite(p.startTicks) ? '' : new Date((btime + p.startTicks / TICKS_PER_SECOND) * 1000).toISOString();
      return [p.pid, p.ppid, await userName(ctx, p.uid), start, p.exe, p.cmdline || `[${p.comm}]`, sha];
    });
    return { data: toCsv(['Pid', 'Ppid', 'User', 'StartTime', 'Executable', 'CommandLine', 'ExecutableSha256'], rows) };
  },
};
