/**
 * `getfile <path>`: uploads the file (up to 3 GB) as the result of the command's MachineAction,
 * through the batch GetFile step (a snapshot, hashed on the way, then a signed upload; command
 * index 0), and reports resultFile {name, size, sha256}.
 */
import { CommandError, getFile } from '../../executors/live-response/index.js';
import { resolvePath } from './format.js';
import { withConsoleRun } from './library-run.js';
import { failed, type LiveCommandModule } from '../types.js';

export const getfile: LiveCommandModule = {
  async run(ctx) {
    if (!ctx.actionId) return failed('getfile needs the action recording it (the server sent none)');
    const path = resolvePath(ctx.cwd, ctx.argv[0]!);
    ctx.write(`Uploading ${path}...\n`);
    try {
      const up = await withConsoleRun(ctx, (run) => getFile(run, 0, path));
      const file = { name: String(up!.name), size: Number(up!.size), sha256: String(up!.sha256) };
      ctx.write(`Uploaded ${file.name}: ${file.size} bytes, sha256 ${file.sha256}\n`);
      return { resultFile: file };
    } catch (e) {
      if (e instanceof CommandError) return failed(e.message);
      throw e;
    }
  },
};
