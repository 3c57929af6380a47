/**
 * Offboard: undoes what this agent enforces (network isolation, execution restriction) through the
 * same executors that release them, so nothing is left applied on a device no one manages any more.
 * Deleting the identity and stopping happen in the agent once the server has acknowledged the
 * success (runner `onOffboarded`), because the report itself needs the identity.
 */
import type { ActionExecutor, ExecutorResult } from '../types.js';

export function createOffboardExecutor(undo: () => readonly ActionExecutor[]): ActionExecutor {
  return {
    type: 'Offboard',
    capability: 'offboard',
    validate: (params) => (params === null || typeof params !== 'object' ? 'Parameters must be an object' : undefined),
    async run(_params, ctx): Promise<ExecutorResult> {
      const released: Record<string, unknown> = {};
      for (const executor of undo()) {
        const r = await executor.run({}, ctx);
        if (r.status === 'Failed') {
          return { status: 'Failed', error: { code: 'OffboardUndoFailed', message: `Could not undo ${executor.type} before offboarding: ${r.error.message}` }, output: released };
        }
        released[executor.type] = r.output ?? {};
      }
      ctx.log.info({ released: Object.keys(released) }, 'offboarding: enforcement released');
      return { status: 'Succeeded', output: { released } };
    },
  };
}
