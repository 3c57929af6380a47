/**
 * Running processes as CSV, read from /proc (no `ps`): pid, ppid, user, start time, executable,
 * command line and the executable's SHA-256 and SHA-1 (the server's remediation, StopAndQuarantineFile,
 * identifies files by SHA-1). Each distinct executable is read once for both hashes, keyed by
 * (dev, inode) of /proc/<pid>/exe, which also hashes binaries deleted since they started.
 * ExecutableSha1 is the last column so readers of the older layout keep their column positions.
 */
import type { FileHashes } from '../../../platform/read-fs.js';
import type { Collector, CollectorContext } from '../collector.js';
import { toCsv } from '../csv.js';
import { processes } from './proc-scan.js';
import { mapLimit, userName } from './util.js';

/** USER_HZ: /proc reports start times in these ticks; it is 100 on every Linux ABI the agent targets. */
export const TICKS_PER_SECOND = 100;
/** Executables larger than this are listed without a hash (keeps the package fast). */
const MAX_HASH_BYTES = 512 * 1024 * 1024;

export async function bootTimeSeconds(ctx: CollectorContext): Promise<number | undefined> {
  const stat = (await ctx.fs.readFile('/proc/stat', 1024 * 1024))?.data.toString('utf8') ?? '';
  const m = /^btime (\d+)$/m.exec(stat);
  return m ? Number(m[1]) : undefined;
}

export const processList: Collector = {
  name: 'Processes',
  folder: 'Processes',
  fileName: 'Processes.csv',
  command: 'read /proc/<pid>/{stat,status,cmdline,exe}, /proc/stat btime; sha256 and sha1 of each distinct /proc/<pid>/exe (one read)',
  async collect(ctx) {
    const [procs, btime] = await Promise.all([processes(ctx), bootTimeSeconds(ctx)]);
    const NONE: FileHashes = { sha256: '', sha1: '' };
    const hashes = new Map<string, Promise<FileHashes>>();
    const rows = await mapLimit(procs, 8, async (p) => {
      let sha = NONE;
      if (p.exe) {
        const info = await ctx.fs.stat(`/proc/${p.pid}/exe`).catch(() => undefined);
        if (info) {
          const key = `${info.dev}:${info.ino}`;
          if (!hashes.has(key)) hashes.set(key, ctx.fs.sha256AndSha1(`/proc/${p.pid}/exe`, MAX_HASH_BYTES).then((h) => h ?? NONE, () => NONE));
          sha = await hashes.get(key)!;
        }
      }
      const start = btime === undefined || !Number.isFinite(p.startTicks) ? '' : new Date((btime + p.startTicks / TICKS_PER_SECOND) * 1000).toISOString();
      return [p.pid, p.ppid, await userName(ctx, p.uid), start, p.exe, p.cmdline || `[${p.comm}]`, sha.sha256, sha.sha1];
    });
    return { data: toCsv(['Pid', 'Ppid', 'User', 'StartTime', 'Executable', 'CommandLine', 'ExecutableSha256', 'ExecutableSha1'], rows) };
  },
};
