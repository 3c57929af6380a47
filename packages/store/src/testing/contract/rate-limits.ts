/** RateLimitStore contract: atomic counting per (key, window), pruning. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ContractContext } from './context.js';

export function rateLimitContract(ctx: ContractContext): void {
  const limits = () => ctx.store().rateLimits;
  const WINDOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z in epoch ms: needs 64-bit storage

  ctx.it('should count hits per key and window', async () => {
    const key = `k-${randomUUID()}`;
    expect([await limits().hit(key, WINDOW), await limits().hit(key, WINDOW), await limits().hit(key, WINDOW)]).toEqual([1, 2, 3]);
    expect(await limits().hit(key, WINDOW + 60_000)).toBe(1);
    expect(await limits().hit(`${key}-other`, WINDOW)).toBe(1);
  });

  ctx.it('should give each of many concurrent hits its own count', async () => {
    const key = `k-${randomUUID()}`;
    const counts = await Promise.all(Array.from({ length: 20 }, () => limits().hit(key, WINDOW)));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  ctx.it('should prune windows that started before the given instant', async () => {
    const key = `k-${randomUUID()}`;
    // Far in the past, so pruning here cannot touch another test's windows.
    const old = 1_000_000;
    await limits().hit(key, old);
    await limits().hit(key, old + 60_000);
    await limits().hit(key, old + 60_000);
    await limits().prune(old + 60_000);
    expect(await limits().hit(key, old)).toBe(1);
    expect(await limits().hit(key, old + 60_000)).toBe(3);
  });
}
