/** Open files: every descriptor of every process (readlink /proc/<pid>/fd/*), capped, as CSV. */
import type { Collector } from '../collector.js';
import { toCsv } from '../csv.js';
import { MAX_FDS, openFds, processes } from './proc-scan.js';
import { userName } from './util.js';

export const openFiles: Collector = {
  name: 'Open files',
  folder: 'Open files',
  fileName: 'OpenFiles.csv',
  command: `readlink /proc/<pid>/fd/* (at most ${MAX_FDS} descriptors)`,
  async collect(ctx) {
    const [{ fds, truncated }, procs] = await Promise.all([openFds(ctx), processes(ctx)]);
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    const rows: (string | number)[][] = [];
    for (const f of fds) {
      const p = byPid.get(f.pid);
      rows.push([f.pid, p?.comm ?? '', p ? await userName(ctx, p.uid) : '', f.fd, f.target]);
    }
    return { data: toCsv(['Pid', 'ProcessName', 'User', 'Fd', 'Target'], rows), truncated };
  },
};
