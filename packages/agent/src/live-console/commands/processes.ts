/**
 * `processes [-pid <pid>]`: pid, ppid, user, start time, command line, executable and its SHA-256,
 * read from /proc by the investigation package's process scan. Each distinct executable
 * (dev, inode of /proc/<pid>/exe, so deleted binaries too) is hashed once; a line per process is
 * streamed as it is ready.
 */
import { processes as scanProcesses } from '../../executors/collect-investigation-package/collectors/proc-scan.js';
import { bootTimeSeconds, TICKS_PER_SECOND } from '../../executors/collect-investigation-package/collectors/processes.js';
import { userName } from '../../executors/collect-investigation-package/collectors/util.js';
import { collectorContext } from './collector-context.js';
import { failed, type LiveCommandModule } from '../types.js';

const MAX_HASH_BYTES = 512 * 1024 * 1024;
export const PROCESS_COLUMNS = ['pid', 'ppid', 'user', 'startTime', 'commandLine', 'executable', 'sha256'];

export const processes: LiveCommandModule = {
  async run(ctx) {
    const cc = collectorContext(ctx, 10 * 60_000);
    const at = ctx.argv.findIndex((a) => a.toLowerCase() === '-pid');
    const only = at >= 0 ? Number(ctx.argv[at + 1]) : undefined;
    const [all, btime] = await Promise.all([scanProcesses(cc), bootTimeSeconds(cc)]);
    const procs = only === undefined ? all : all.filter((p) => p.pid === only);
    if (only !== undefined && procs.length === 0) return failed(`no process with pid ${only}`);
    const hashes = new Map<string, Promise<string>>();
    const rows: (string | number)[][] = [];
    ctx.write(`${'PID'.padStart(7)} ${'PPID'.padStart(7)}  ${'USER'.padEnd(10)} ${'START'.padEnd(24)} COMMAND\n`);
    for (const p of procs) {
      ctx.signal.throwIfAborted();
      let sha256 = '';
      const info = p.exe ? await cc.fs.stat(`/proc/${p.pid}/exe`).catch(() => undefined) : undefined;
      if (info) {
        const key = `${info.dev}:${info.ino}`;
        if (!hashes.has(key)) hashes.set(key, cc.fs.sha256(`/proc/${p.pid}/exe`, MAX_HASH_BYTES).then((h) => h ?? '', () => ''));
        sha256 = await hashes.get(key)!;
      }
      const start = btime === undefined || !Number.isFinite(p.startTicks) ? '' : new Date((btime + p.startTicks / TICKS_PER_SECOND) * 1000).toISOString();
      const user = await userName(cc, p.uid);
      const cmdline = p.cmdline || `[${p.comm}]`;
      rows.push([p.pid, p.ppid, user, start, cmdline, p.exe, sha256]);
      ctx.write(`${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  ${user.padEnd(10)} ${start.padEnd(24)} ${cmdline}${p.exe ? `\n${''.padStart(52)}exe ${p.exe}${sha256 ? ` sha256 ${sha256}` : ''}` : ''}\n`);
    }
    ctx.write(`\n${rows.length} processes\n`);
    return { table: { columns: PROCESS_COLUMNS, rows } };
  },
};
