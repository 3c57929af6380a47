/**
 * `dir [path]`: a directory's entries (name, type, size, mode, owner, modified), streamed as they
 * are read: a line per entry goes out while the directory is still being listed, so a directory of
 * 10,000 entries shows at once and never sits in memory as text. The table goes in live/done.
 */
import { isoTime, modeString, resolvePath } from './format.js';
import { failed, LiveCommandError, type LiveCommandModule } from '../types.js';

export const DIR_COLUMNS = ['name', 'type', 'size', 'mode', 'owner', 'modified'];

export const dir: LiveCommandModule = {
  async run(ctx) {
    const fs = ctx.platform.liveFs;
    if (!fs) return failed('this agent platform cannot list files');
    const target = resolvePath(ctx.cwd, ctx.argv[0] ?? '.');
    const st = await fs.stat(target);
    if (!st) return failed(`${target} does not exist`);
    if (st.type !== 'dir') return failed(`${target} is not a directory`);
    const { users } = await fs.accountNames();
    const rows: (string | number)[][] = [];
    ctx.write(`Directory of ${target}\n\n`);
    try {
      for await (const e of fs.listDir(target, ctx.signal)) {
        const owner = users.get(e.stat.uid) ?? String(e.stat.uid);
        const row = [e.name, e.stat.type, e.stat.size, modeString(e.stat.type, e.stat.mode), owner, isoTime(e.stat.mtimeMs)];
        rows.push(row);
        ctx.write(`${row[3]}  ${owner.padEnd(8)}  ${String(e.stat.size).padStart(12)}  ${row[5]}  ${e.name}${e.stat.type === 'dir' ? '/' : ''}\n`);
      }
    } catch (e) {
      ctx.signal.throwIfAborted();
      throw new LiveCommandError(`cannot list ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    ctx.write(`\n${rows.length} entries\n`);
    return { table: { columns: DIR_COLUMNS, rows } };
  },
};
