/** `kill <pid>`: SIGKILL, never to pid 1 or the agent. */
import { signalProcess, targetPidError } from './pid-target.js';
import { failed, type LiveCommandModule } from '../types.js';

export async function killPid(ctx: Parameters<LiveCommandModule['run']>[0], pid: number) {
  const refused = await targetPidError(ctx, pid);
  if (refused) return failed(refused);
  const r = await signalProcess(ctx, pid, 'SIGKILL', 'kill');
  if (!r.ok) return failed(r.message);
  ctx.write(`${r.message}\n`);
  return {};
}

export const kill: LiveCommandModule = {
  run: (ctx) => killPid(ctx, Number(ctx.argv[0])),
};
