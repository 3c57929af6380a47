/**
 * `putfile <library file> [-overwrite|-keep]`: downloads the tenant's library file into the session
 * directory, through the batch PutFile step (verified against the library's sha256, renamed into
 * place only when complete). An existing file is refused unless -overwrite (replace it) or -keep
 * (leave it and succeed).
 */
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
    try {
      // The step downloads into the run's folder: here the session directory itself.
      await withConsoleRun(ctx, (run) => putFile({ ...run, workDir: ctx.cwd }, name));
    } catch (e) {
      if (e instanceof CommandError) return failed(e.message);
      throw e;
    }
    const st = await ctx.platform.fs.stat(dest);
    ctx.write(`${name} copied to ${dest} (${st?.size ?? 0} bytes)\n`);
    return {};
  },
};
