/** `suspend <pid>`: SIGSTOP (the process stays, frozen, for inspection), never to pid 1 or the agent. */
import { signalProcess, targetPidError } from './pid-target.js';
import { failed, type LiveCommandModule } from '../types.js';

export const suspend: LiveCommandModule = {
  async run(ctx) {
    const pid = Number(ctx.argv[0]);
    const refused = await targetPidError(ctx, pid);
    if (refused) return failed(refused);
    const r = await signalProcess(ctx, pid, 'SIGSTOP', 'suspend');
    if (!r.ok) return failed(r.message);
    ctx.write(`${r.message}\n`);
    return {};
  },
};
