import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MachineRef } from '@cordon/core';
import { LastSeenBatcher } from './last-seen-batcher.js';

const T = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

describe('LastSeenBatcher', () => {
  const clock = { ms: 0, now() { return this.ms; } };
  let calls: { entries: MachineRef[]; at: string }[];
  let fail: boolean;
  const log = { error: vi.fn() };
  const make = () =>
    new LastSeenBatcher({
      machines: {
        markSeen: async (entries, at) => {
          if (fail) throw new Error('database down');
          calls.push({ entries: [...entries], at });
          return entries.length;
        },
      },
      clock,
      flushEveryMs: 7_500,
      log,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    clock.ms = Date.UTC(2026, 10, 21, 10, 0, 0);
    calls = [];
    fail = false;
    log.error.mockClear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should write N heartbeats of M machines as one store call per flush interval with the M machines', async () => {
    const batcher = make();
    const M = 50;
    for (let round = 0; round < 3; round++) {
      // Every machine beats several times within one interval.
      for (let n = 0; n < 4; n++) {
        for (let m = 0; m < M; m++) batcher.seen(T, `m${m}`);
        clock.ms += 1_000;
        await vi.advanceTimersByTimeAsync(1_000);
      }
      expect(calls).toHaveLength(round);
      await vi.advanceTimersByTimeAsync(3_500);
      clock.ms += 3_500;
      expect(calls).toHaveLength(round + 1);
      expect(calls[round]!.entries).toHaveLength(M);
      expect(new Set(calls[round]!.entries.map((e) => e.id)).size).toBe(M);
    }
    // The batch's time is its newest sighting: the last round's fourth beat.
    expect(calls[2]!.at).toBe('2026-11-21T10:00:18.0000000Z');
    // Nothing seen: no timer, no writes.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(3);
  });

  it('should write a hello on the next turn, together with what is pending, and resolve once written', async () => {
    const batcher = make();
    batcher.seen(T, 'beat');
    const other = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
    let written = false;
    const hello = Promise.all([batcher.seenNow(T, 'hello1'), batcher.seenNow(other, 'hello2')]).then(() => (written = true));
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    await hello;
    expect(written).toBe(true);
    expect(calls).toEqual([{ entries: [{ tenantId: T, id: 'beat' }, { tenantId: T, id: 'hello1' }, { tenantId: other, id: 'hello2' }], at: '2026-11-21T10:00:00.0000000Z' }]);
    // The periodic write has nothing left to do.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1);
  });

  it('should keep sightings whose write failed for the next one, and reject the hello that waited for it', async () => {
    const batcher = make();
    fail = true;
    batcher.seen(T, 'm1');
    await vi.advanceTimersByTimeAsync(7_500);
    expect(log.error).toHaveBeenCalledTimes(1);
    const hello = batcher.seenNow(T, 'm2');
    const settled = hello.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(0);
    expect(await settled).toMatchObject({ message: 'database down' });
    fail = false;
    await vi.advanceTimersByTimeAsync(7_500);
    expect(calls.map((c) => c.entries.map((e) => e.id).sort())).toEqual([['m1', 'm2']]);
  });

  it('should write what is pending on close, and later sightings at once', async () => {
    const batcher = make();
    batcher.seen(T, 'm1');
    await batcher.close();
    expect(calls.map((c) => c.entries)).toEqual([[{ tenantId: T, id: 'm1' }]]);
    batcher.seen(T, 'm2');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.entries)).toEqual([[{ tenantId: T, id: 'm1' }], [{ tenantId: T, id: 'm2' }]]);
    expect(batcher.pendingCount).toBe(0);
  });
});
