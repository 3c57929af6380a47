/** Unisolate (mde-api.md §4.4): removes exactly the isolation table, and nothing else. */
import type { ActionExecutor, ExecutorResult } from '../types.js';
import { readIsolationState, RELEASED_NOTICE, stopIsolationKeeper, writeIsolationState } from '../isolate/isolation.js';
import { buildReleaseScript } from '../isolate/ruleset.js';

export const unisolateExecutor: ActionExecutor<Record<string, unknown>> = {
  type: 'Unisolate',
  capability: 'nft',
  validate: (params) => (params === null || typeof params !== 'object' ? 'Parameters must be an object' : undefined),
  async run(_params, ctx): Promise<ExecutorResult> {
    const state = await readIsolationState(ctx);
    const r = await ctx.platform.nft.apply(buildReleaseScript());
    if (!r.ok) return { status: 'Failed', error: { code: 'ReleaseFailed', message: `nft: ${r.stderr}` } };
    stopIsolationKeeper();
    await writeIsolationState(ctx, undefined);
    if (state) await ctx.platform.notify.notifyUsers(RELEASED_NOTICE.title, RELEASED_NOTICE.body).catch(() => undefined);
    return { status: 'Succeeded', output: { wasIsolated: state !== undefined } };
  },
};
