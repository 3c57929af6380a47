/** Shell histories: the newest part (tail) of each user's history files, one file per user and shell. */
import type { Collector } from '../collector.js';
import { homes } from './util.js';

const HISTORY_FILES = ['.bash_history', '.zsh_history', '.sh_history', '.ash_history', '.local/share/fish/fish_history'];
/** Per file: histories are append-only, so the tail holds what matters. */
const MAX_PER_FILE = 4 * 1024 * 1024;

export const shellHistory: Collector = {
  name: 'Shell history',
  folder: 'History',
  fileName: '<user>_<history file>.txt',
  command: `tail of ~/{${HISTORY_FILES.join(',')}} for every account home`,
  async collect(ctx) {
    const files: Record<string, Buffer | string> = {};
    let truncated = false;
    for (const a of await homes(ctx)) {
      for (const f of HISTORY_FILES) {
        const read = await ctx.fs.readTail(`${a.home}/${f}`, Math.min(MAX_PER_FILE, ctx.maxBytes));
        if (!read) continue;
        truncated ||= read.truncated;
        files[`${a.name}_${f.slice(f.lastIndexOf('/') + 1).replace(/^\./, '')}.txt`] = read.data;
      }
    }
    if (Object.keys(files).length === 0) files['History.txt'] = 'No shell history files found.\n';
    return { files, truncated };
  },
};
