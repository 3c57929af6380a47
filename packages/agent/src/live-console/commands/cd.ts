/** `cd <path>`: the session's directory becomes the path, resolved against it; it must be a directory. */
import { resolvePath } from './format.js';
import { failed, LiveCommandError, type LiveCommandModule } from '../types.js';

export const cd: LiveCommandModule = {
  async run(ctx) {
    const fs = ctx.platform.liveFs;
    if (!fs) return failed('this agent platform cannot list files');
    const target = resolvePath(ctx.cwd, ctx.argv[0] ?? '/');
    const st = await fs.stat(target).catch((e: NodeJS.ErrnoException) => {
      throw new LiveCommandError(`cannot open ${target}: ${e.code ?? e.message}`);
    });
    if (!st) return failed(`${target} does not exist`);
    if (st.type !== 'dir') return failed(`${target} is not a directory`);
    ctx.write(`${target}\n`);
    return { cwd: target };
  },
};
