/**
 * `remediate file <path>`: every process running that file (same SHA-1) is killed and the file is
 * quarantined, by the StopAndQuarantineFile executor searching that path only.
 * `remediate process <pid>`: kills it, as `kill` does.
 */
import { createStopAndQuarantineFileExecutor } from '../../executors/stop-and-quarantine-file/index.js';
import { resolvePath } from './format.js';
import { killPid } from './kill.js';
import { failed, LiveCommandError, type LiveCommandModule } from '../types.js';

export const remediate: LiveCommandModule = {
  async run(ctx) {
    const [kind, target] = [ctx.argv[0]!.toLowerCase(), ctx.argv[1]!];
    if (kind === 'process') return killPid(ctx, Number(target));
    const path = resolvePath(ctx.cwd, target);
    const st = await ctx.platform.fs.lstat(path);
    if (!st) return failed(`${path} does not exist`);
    if (!st.isFile) return failed(`${path} is not a regular file`);
    const { sha1 } = await ctx.platform.fs.hashFile(path, ['sha1'], ctx.signal).catch((e: NodeJS.ErrnoException) => {
      throw new LiveCommandError(`cannot read ${path}: ${e.code ?? e.message}`);
    });
    ctx.write(`${path}: sha1 ${sha1}\n`);
    const executor = createStopAndQuarantineFileExecutor({ searchRoots: async () => [path] });
    const result = await executor.run({ Sha1: sha1 }, ctx.executorContext());
    const out = (result.output ?? {}) as { killedProcesses?: { pid: number; exe: string }[]; quarantined?: { path: string }[]; message?: string };
    for (const p of out.killedProcesses ?? []) ctx.write(`Killed pid ${p.pid} (${p.exe})\n`);
    for (const q of out.quarantined ?? []) ctx.write(`Quarantined ${q.path}\n`);
    if (result.status === 'Failed') return failed(result.error.message);
    if (!(out.quarantined ?? []).some((q) => q.path === path)) return failed(`${path} was not quarantined`);
    return {};
  },
};
