/**
 * `putfile <library file> [-overwrite|-keep]`: downloads the tenant's library file into the session
 * directory, through the batch PutFile step (verified against the library's sha256, renamed into
 * place only when complete). An existing file is refused unless -overwrite (replace it) or -keep
 * (leave it and succeed).
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { CommandError, putFile } from '../../executors/live-response/index.js';
import { withConsoleRun } from './library-run.js';
import { failed, type LiveCommandModule } from '../types.js';

export const putfile: LiveCommandModule = {
  async run(ctx) {
    const flags = new Set(ctx.argv.filter((a) => a.startsWith('-')).map((a) => a.toLowerCase()));
    const name = ctx.argv.find((a) => !a.startsWith('-'))!;
    if (flags.has('-overwrite') && flags.has('-keep')) return failed('use -overwrite or -keep, not both');
    if (name.includes('/') || name === '.' || name === '..') return failed(`${name} is not a library file name`);
    const dest = posix.join(ctx.cwd, name);
    const existing = await ctx.platform.fs.lstat(dest);
    if (existing && flags.has('-keep')) {
      ctx.write(`${dest} already exists; kept as it is\n`);
      return {};
    }
    if (existing && !flags.has('-overwrite')) return failed(`${dest} already exists (use -overwrite to replace it, -keep to leave it)`);
    if (existing && !existing.isFile) return failed(`${dest} exists and is not a regular file`);
    // The download goes into a fresh folder of the agent's own inside the session directory, then is
    // renamed into place (same filesystem, atomic): the agent, as root, never opens a path in a
    // directory others may write to (a planted `<name>.part` symlink would be followed otherwise).
    const stage = posix.join(ctx.cwd, `.cordon-putfile-${randomBytes(12).toString('hex')}`);
    try {
      await ctx.platform.fs.mkdirp(stage, 0o700);
      await withConsoleRun(ctx, (run) => putFile({ ...run, workDir: stage }, name));
      await ctx.platform.fs.rename(posix.join(stage, name), dest);
    } catch (e) {
      if (e instanceof CommandError) return failed(e.message);
      ctx.signal.throwIfAborted();
      return failed(`could not write ${dest}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    } finally {
      await ctx.platform.fs.remove(stage);
    }
    const st = await ctx.platform.fs.stat(dest);
    ctx.write(`${name} copied to ${dest} (${st?.size ?? 0} bytes)\n`);
    return {};
  },
};
