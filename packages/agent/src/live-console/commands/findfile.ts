/**
 * `findfile <name or glob> [-root <dir>]...`: files whose name matches, under each root (default /),
 * streamed as found. /proc, /sys and /dev are skipped, symlinks are listed but never followed, and
 * unreadable directories are passed over (counted, not fatal).
 */
import { posix } from 'node:path';
import { isoTime, resolvePath } from './format.js';
import { failed, type LiveCommandModule } from '../types.js';

export const FINDFILE_COLUMNS = ['path', 'type', 'size', 'modified'];
const SKIPPED = new Set(['/proc', '/sys', '/dev']);
/** More matches than this are counted but not listed (a `*` under / would list the disk). */
const MAX_MATCHES = 100_000;

/** A shell-style glob (`*`, `?`, `[abc]`) as an anchored regular expression on the whole name. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else re += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export const findfile: LiveCommandModule = {
  async run(ctx) {
    const fs = ctx.platform.liveFs;
    if (!fs) return failed('this agent platform cannot list files');
    let pattern: string | undefined;
    const roots: string[] = [];
    for (let i = 0; i < ctx.argv.length; i++) {
      if (ctx.argv[i]!.toLowerCase() === '-root') roots.push(resolvePath(ctx.cwd, ctx.argv[++i]!));
      else pattern = ctx.argv[i];
    }
    if (!pattern) return failed('Usage: findfile <name or glob> [-root <dir>]...');
    const match = globToRegExp(pattern);
    const rows: (string | number)[][] = [];
    let found = 0;
    let unreadable = 0;
    const stack = (roots.length > 0 ? roots : ['/']).reverse();
    while (stack.length > 0) {
      const dirPath = stack.pop()!;
      ctx.signal.throwIfAborted();
      const subdirs: string[] = [];
      try {
        for await (const e of fs.dirEntries(dirPath)) {
          const full = posix.join(dirPath, e.name);
          if (e.type === 'dir' && !SKIPPED.has(full)) subdirs.push(full);
          if (!match.test(e.name)) continue;
          found++;
          if (found > MAX_MATCHES) continue;
          const st = await fs.stat(full, { follow: false }).catch(() => undefined);
          rows.push([full, st?.type ?? e.type, st?.size ?? 0, st ? isoTime(st.mtimeMs) : '']);
          ctx.write(`${full}\n`);
        }
      } catch {
        ctx.signal.throwIfAborted();
        unreadable++;
      }
      // Depth first, in the order read.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
    ctx.write(`\n${found} found${found > MAX_MATCHES ? ` (the first ${MAX_MATCHES} listed)` : ''}${unreadable > 0 ? `; ${unreadable} directories could not be read` : ''}\n`);
    return { table: { columns: FINDFILE_COLUMNS, rows } };
  },
};
