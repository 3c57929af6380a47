/** UnrestrictCodeExecution (mde-api.md §4.4): stops the exec guard and removes what Restrict wrote. */
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { readRestriction, restrictionDir, UNRESTRICTED_NOTICE, writeRestriction } from '../restrict-code-execution/restriction.js';

export const unrestrictCodeExecutionExecutor: ActionExecutor<Record<string, unknown>> = {
  type: 'UnrestrictCodeExecution',
  capability: 'fanotify',
  validate: (params) => (params === null || typeof params !== 'object' ? 'Parameters must be an object' : undefined),
  async run(_params, ctx): Promise<ExecutorResult> {
    const state = await readRestriction(ctx);
    if (state) await ctx.platform.execGuard.stop(state.pid);
    if (state && (await ctx.platform.execGuard.isRunning(state.pid))) {
      return { status: 'Failed', error: { code: 'UnrestrictFailed', message: `The exec guard (pid ${state.pid}) did not stop` } };
    }
    await writeRestriction(ctx, undefined);
    await ctx.platform.fs.remove(restrictionDir(ctx));
    if (state) await ctx.platform.notify.notifyUsers(UNRESTRICTED_NOTICE.title, UNRESTRICTED_NOTICE.body).catch(() => undefined);
    return { status: 'Succeeded', output: { wasRestricted: state !== undefined } };
  },
};
