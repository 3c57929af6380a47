/** The pid a kill, suspend or remediate process names: never init, never the agent, and it must exist. */
import type { LiveCommandContext } from '../types.js';

export async function targetPidError(ctx: LiveCommandContext, pid: number): Promise<string | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return `${pid} is not a process id`;
  if (pid === 1) return 'pid 1 (init) is never killed or suspended: the device would go down';
  if (pid === ctx.agentPid) return `pid ${pid} is the Cordon agent itself: it is never killed or suspended`;
  if (!(await ctx.platform.proc.isAlive(pid))) return `no process with pid ${pid}`;
  return undefined;
}

/** Sends the signal and says what was hit (its executable, when readable). */
export async function signalProcess(ctx: LiveCommandContext, pid: number, signal: 'SIGKILL' | 'SIGSTOP', verb: string): Promise<{ ok: boolean; message: string }> {
  const exe = (await ctx.platform.proc.list().catch(() => [])).find((p) => p.pid === pid)?.exe;
  if (!(await ctx.platform.proc.kill(pid, signal))) return { ok: false, message: `could not ${verb} pid ${pid}` };
  return { ok: true, message: `${verb === 'kill' ? 'Killed' : 'Suspended'} pid ${pid}${exe ? ` (${exe})` : ''}` };
}
