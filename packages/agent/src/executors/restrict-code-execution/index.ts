/** RestrictCodeExecution (mde-api.md §4.4): only trusted executables may run (see restriction.ts). */
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { allowListError, readRestriction, RESTRICTED_NOTICE, startGuard, writeRestriction } from './restriction.js';

export const restrictCodeExecutionExecutor: ActionExecutor<Record<string, unknown>> = {
  type: 'RestrictCodeExecution',
  capability: 'fanotify',
  validate: (params) => (params === null || typeof params !== 'object' ? 'Parameters must be an object' : undefined),
  async run(_params, ctx): Promise<ExecutorResult> {
    const bad = allowListError(ctx.settings.executionAllowList);
    if (bad) return { status: 'Failed', error: { code: 'RestrictionRefused', message: bad } };
    const previous = await readRestriction(ctx);
    let started: { pid: number; trusted: number };
    try {
      // A new guard starts before the old one stops, so a re-restrict (new allow-list) has no gap.
      started = await startGuard(ctx);
    } catch (e) {
      return { status: 'Failed', error: { code: 'RestrictionFailed', message: (e as Error).message } };
    }
    await writeRestriction(ctx, { restricted: true, pid: started.pid, since: previous?.since ?? ctx.now() });
    if (previous && previous.pid !== started.pid) await ctx.platform.execGuard.stop(previous.pid);
    if (!previous) await ctx.platform.notify.notifyUsers(RESTRICTED_NOTICE.title, RESTRICTED_NOTICE.body).catch(() => undefined);
    return { status: 'Succeeded', output: { guardPid: started.pid, trustedEntries: started.trusted } };
  },
  async restore(ctx) {
    const state = await readRestriction(ctx);
    if (!state || (await ctx.platform.execGuard.isRunning(state.pid))) return;
    const { pid } = await startGuard(ctx); // throws: the runner logs it; the state stays for the next start
    await writeRestriction(ctx, { ...state, pid });
    ctx.log.info({ pid }, 'code execution restriction re-applied on start');
  },
};
