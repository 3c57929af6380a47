import { describe, expect, it } from 'vitest';
import { contained } from './contain.js';

function recorder() {
  const errors: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
  return { errors, log: { info() {}, warn() {}, error: (obj: Record<string, unknown>, msg?: string) => errors.push({ obj, msg }) } };
}

describe(contained.name, () => {
  it('should log a throw and run the clean-up instead of letting it escape', () => {
    const { errors, log } = recorder();
    let cleaned = 0;
    const listener = contained(log, 'test listener', (n: number) => {
      throw new Error(`boom ${n}`);
    }, () => cleaned++);
    expect(() => listener(1)).not.toThrow();
    expect(errors.map((e) => [e.msg, (e.obj.err as Error).message])).toEqual([['test listener failed', 'boom 1']]);
    expect(cleaned).toBe(1);
  });

  it('should log a rejected promise the same way', async () => {
    const { errors, log } = recorder();
    let cleaned = 0;
    contained(log, 'async listener', async () => Promise.reject(new Error('later')), () => cleaned++)();
    await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => e.msg)).toEqual(['async listener failed']);
    expect(cleaned).toBe(1);
  });

  it('should log a failing clean-up too, and still not throw', () => {
    const { errors, log } = recorder();
    const listener = contained(log, 'x', () => {
      throw new Error('first');
    }, () => {
      throw new Error('second');
    });
    expect(() => listener()).not.toThrow();
    expect(errors.map((e) => e.msg)).toEqual(['x failed', 'clean-up after a failed x failed']);
  });
});
