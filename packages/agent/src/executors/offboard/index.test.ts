import { describe, expect, it } from 'vitest';
import type { ActionExecutor, ExecutorContext, ExecutorResult } from '../types.js';
import { createOffboardExecutor } from './index.js';

const ctx = { actionId: 'a1', signal: new AbortController().signal, log: { info() {}, warn() {}, error() {} } } as unknown as ExecutorContext;

function undo(type: string, result: ExecutorResult, calls: string[]): ActionExecutor {
  return { type, capability: 'x', validate: () => undefined, run: async () => (calls.push(type), result) };
}

describe('createOffboardExecutor', () => {
  it('should release isolation and restriction, in order, and succeed', async () => {
    const calls: string[] = [];
    const ex = createOffboardExecutor(() => [undo('Unisolate', { status: 'Succeeded', output: { wasIsolated: true } }, calls), undo('UnrestrictCodeExecution', { status: 'Succeeded' }, calls)]);
    expect(await ex.run({}, ctx)).toEqual({ status: 'Succeeded', output: { released: { Unisolate: { wasIsolated: true }, UnrestrictCodeExecution: {} } } });
    expect(calls).toEqual(['Unisolate', 'UnrestrictCodeExecution']);
  });

  it('should fail, naming what could not be undone, and not go on', async () => {
    const calls: string[] = [];
    const ex = createOffboardExecutor(() => [undo('Unisolate', { status: 'Failed', error: { code: 'ReleaseFailed', message: 'nft: boom' } }, calls), undo('UnrestrictCodeExecution', { status: 'Succeeded' }, calls)]);
    expect(await ex.run({}, ctx)).toMatchObject({ status: 'Failed', error: { code: 'OffboardUndoFailed', message: 'Could not undo Unisolate before offboarding: nft: boom' } });
    expect(calls).toEqual(['Unisolate']);
  });
});
