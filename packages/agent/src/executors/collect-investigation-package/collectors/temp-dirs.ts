/**
 * Temp directories: one listing per user (the owner of each entry) of /tmp, /var/tmp and /dev/shm,
 * the Linux counterpart of each user's %Temp% (mde-api.md §6). The walk is depth- and
 * count-limited and never follows symlinks.
 */
import type { Collector, CollectorContext } from '../collector.js';
import { userName } from './util.js';

const ROOTS = ['/tmp', '/var/tmp', '/dev/shm'];
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20_000;

function modeString(mode: number, type: string): string {
  const t = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'file' ? '-' : '?';
  const bits = 'rwxrwxrwx'.split('').map((c, i) => ((mode >> (8 - i)) & 1 ? c : '-')).join('');
  return t + bits;
}

interface Listed {
  uid: number;
  line: string;
}

async function walk(ctx: CollectorContext, out: Listed[], dir: string, depth: number): Promise<boolean> {
  for (const e of (await ctx.fs.readDir(dir).catch(() => undefined)) ?? []) {
    if (out.length >= MAX_ENTRIES) return true;
    const path = `${dir}/${e.name}`;
    const info = await ctx.fs.stat(path, { follow: false }).catch(() => undefined);
    if (!info) continue;
    const target = info.type === 'symlink' ? ` -> ${(await ctx.fs.readLink(path)) ?? '?'}` : '';
    out.push({ uid: info.uid, line: `${modeString(info.mode, info.type)} ${info.size} ${new Date(info.mtimeMs).toISOString()} ${path}${target}` });
    if (info.type === 'dir' && depth < MAX_DEPTH && (await walk(ctx, out, path, depth + 1))) return true;
  }
  return false;
}

export const tempDirectories: Collector = {
  name: 'Temp directories',
  folder: 'Temp Directories',
  fileName: '<user>.txt',
  command: `list ${ROOTS.join(', ')} (depth ${MAX_DEPTH}, at most ${MAX_ENTRIES} entries), one file per owner`,
  async collect(ctx) {
    const listed: Listed[] = [];
    let truncated = false;
    for (const root of ROOTS) truncated ||= await walk(ctx, listed, root, 1);
    const byUser = new Map<string, string[]>();
    for (const l of listed) {
      const user = await userName(ctx, l.uid);
      byUser.set(user, [...(byUser.get(user) ?? []), l.line]);
    }
    const files: Record<string, string> = {};
    for (const [user, lines] of [...byUser].sort(([a], [b]) => (a < b ? -1 : 1))) files[`${user}.txt`] = `${lines.join('\n')}\n`;
    if (Object.keys(files).length === 0) files['TempDirectories.txt'] = `The temp directories (${ROOTS.join(', ')}) are empty.\n`;
    return { files, truncated };
  },
};
