/**
 * `fileinfo <path>`: size, owner, group, mode, access/modify/change times, and the MD5, SHA-1 and
 * SHA-256 of the content, hashed in one streamed read (node:crypto), so a 30 GB file costs time,
 * not memory. Symlinks are followed, as a person asking about a path expects.
 */
import { isoTime, modeString, renderFields, resolvePath } from './format.js';
import { failed, LiveCommandError, type LiveCommandModule } from '../types.js';

export const fileinfo: LiveCommandModule = {
  async run(ctx) {
    const fs = ctx.platform.liveFs;
    if (!fs) return failed('this agent platform cannot read files');
    const path = resolvePath(ctx.cwd, ctx.argv[0]!);
    const st = await fs.stat(path);
    if (!st) return failed(`${path} does not exist`);
    if (st.type !== 'file') return failed(`${path} is not a regular file`);
    const { users, groups } = await fs.accountNames();
    const fields: [string, string | number][] = [
      ['path', path],
      ['size', st.size],
      ['owner', users.get(st.uid) ?? String(st.uid)],
      ['group', groups.get(st.gid) ?? String(st.gid)],
      ['mode', `${modeString(st.type, st.mode)} (${(st.mode & 0o7777).toString(8).padStart(4, '0')})`],
      ['accessed', isoTime(st.atimeMs)],
      ['modified', isoTime(st.mtimeMs)],
      ['changed', isoTime(st.ctimeMs)],
    ];
    ctx.write(renderFields(fields));
    const hashes = await ctx.platform.fs.hashFile(path, ['md5', 'sha1', 'sha256'], ctx.signal).catch((e: NodeJS.ErrnoException) => {
      ctx.signal.throwIfAborted();
      throw new LiveCommandError(`cannot read ${path}: ${e.code ?? e.message}`);
    });
    const digests: [string, string][] = [['md5', hashes.md5], ['sha1', hashes.sha1], ['sha256', hashes.sha256]];
    ctx.write(renderFields(digests));
    return { table: { columns: [...fields.map(([k]) => k), ...digests.map(([k]) => k)], rows: [[...fields.map(([, v]) => v), ...digests.map(([, v]) => v)]] } };
  },
};
