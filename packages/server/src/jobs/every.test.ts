import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { every } from './every.js';

describe('every', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('should skip ticks while a run is still going, never running two at once', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let finish!: () => void;
    const log = { error: vi.fn() };
    const job = every(10, 'test job', log, async () => {
      runs++;
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => (finish = r));
      active--;
    });
    await vi.advanceTimersByTimeAsync(55); // five ticks while the first run is still going
    expect(runs).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
    job.stop();
  });

  it('should log a failure and run again on the next tick', async () => {
    const log = { error: vi.fn() };
    let runs = 0;
    const job = every(10, 'flaky job', log, async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
    }, { runNow: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'flaky job failed; will retry');
    await vi.advanceTimersByTimeAsync(10);
    expect(runs).toBe(2);
    job.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
  });
});
