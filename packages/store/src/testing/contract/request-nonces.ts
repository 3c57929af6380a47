/** RequestNonceStore contract: a nonce is claimed once, by exactly one of concurrent claims, until pruned. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ContractContext } from './context.js';

export function requestNonceContract(ctx: ContractContext): void {
  const nonces = () => ctx.store().nonces;
  const EXPIRES = 1_767_225_600_000; // 2026-01-01T00:00:00Z in epoch ms: needs 64-bit storage

  ctx.it('should claim a nonce once and refuse it afterwards', async () => {
    const nonce = `m:${randomUUID()}`;
    expect(await nonces().claim(nonce, EXPIRES)).toBe(true);
    expect(await nonces().claim(nonce, EXPIRES)).toBe(false);
    expect(await nonces().claim(nonce, EXPIRES + 60_000)).toBe(false);
    expect(await nonces().claim(`${nonce}-other`, EXPIRES)).toBe(true);
  });

  ctx.it('should give a nonce to exactly one of many concurrent claims', async () => {
    const nonce = `m:${randomUUID()}`;
    const claims = await Promise.all(Array.from({ length: 20 }, () => nonces().claim(nonce, EXPIRES)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  ctx.it('should forget only nonces that expired before the given instant', async () => {
    // Far in the past, so pruning here cannot touch another test's nonces.
    const old = 1_000_000;
    const [expired, kept] = [`m:${randomUUID()}`, `m:${randomUUID()}`];
    await nonces().claim(expired, old);
    await nonces().claim(kept, old + 60_000);
    await nonces().prune(old + 60_000);
    expect(await nonces().claim(expired, old)).toBe(true);
    expect(await nonces().claim(kept, old + 60_000)).toBe(false);
  });
}
