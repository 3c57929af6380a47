/**
 * TEST-ONLY executors for `--platform fake` (e2e tests and benchmarks): each waits a configured
 * delay (abortable), then succeeds or fails as configured, and appends what it did to
 * `<stateDir>/fake-runs.jsonl` so tests can check that nothing ran twice. Never selected by
 * default; the agent logs a warning when they are in use.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTION_TYPES, type ActionType } from '@cordon/protocol';
import type { ActionExecutor, ExecutorResult } from '../types.js';

export interface FakeExecutorOptions {
  delayMs: number;
  delays: Readonly<Record<string, number>>;
  fail: readonly string[];
}

export function createFakeExecutors(options: FakeExecutorOptions): Record<ActionType, ActionExecutor> {
  const entries = ACTION_TYPES.map((type) => [type, fakeExecutor(type, options)] as const);
  return Object.fromEntries(entries) as Record<ActionType, ActionExecutor>;
}

function fakeExecutor(type: ActionType, options: FakeExecutorOptions): ActionExecutor {
  return {
    type,
    capability: 'fake',
    validate: (params) => (params === null || typeof params !== 'object' ? 'Parameters must be an object' : undefined),
    async run(params, ctx): Promise<ExecutorResult> {
      const record = (event: string) => appendFile(join(ctx.stateDir, 'fake-runs.jsonl'), `${JSON.stringify({ event, actionId: ctx.actionId, type, params, at: ctx.now() })}\n`);
      await record('start');
      const delay = options.delays[type] ?? options.delayMs;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay);
        ctx.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(ctx.signal.reason as Error);
          },
          { once: true },
        );
      }).catch(async (err: unknown) => {
        await record('aborted');
        throw err;
      });
      if (options.fail.includes(type)) {
        await record('failed');
        return { status: 'Failed', error: { code: 'FakeFailure', message: `fake ${type} failed as configured`, hresult: -2147467259 } };
      }
      await record('succeeded');
      return { status: 'Succeeded', output: { fake: true } };
    },
  };
}
