/**
 * ServerRegistryStore contract: registrations live until they expire, refresh in place, and one URL
 * shared by several processes is listed once. The table is shared by every test of the suite, so
 * each test uses URLs of its own and asserts only about those.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ContractContext } from './context.js';

export function serverRegistryContract(ctx: ContractContext): void {
  const servers = () => ctx.store().servers;
  const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z in epoch ms: needs 64-bit storage
  const url = () => `https://node-${randomUUID()}.example:8443`;
  const mine = async (urls: string[], at: number) => (await servers().liveUrls(at)).filter((u) => urls.includes(u));

  ctx.it('should list a registered process until its registration expires', async () => {
    const [a, b] = [url(), url()];
    await servers().heartbeat(randomUUID(), a, NOW + 30_000);
    await servers().heartbeat(randomUUID(), b, NOW + 60_000);
    expect(await mine([a, b], NOW)).toEqual([a, b].sort());
    expect(await mine([a, b], NOW + 30_000)).toEqual([b]);
    expect(await mine([a, b], NOW + 60_000)).toEqual([]);
  });

  ctx.it('should extend and move a registration when the process heartbeats again', async () => {
    const id = randomUUID();
    const [a, b] = [url(), url()];
    await servers().heartbeat(id, a, NOW + 30_000);
    await servers().heartbeat(id, b, NOW + 90_000);
    expect(await mine([a, b], NOW + 60_000)).toEqual([b]);
  });

  ctx.it('should list a URL several processes share once', async () => {
    const shared = url();
    await servers().heartbeat(randomUUID(), shared, NOW + 30_000);
    await servers().heartbeat(randomUUID(), shared, NOW + 30_000);
    expect(await mine([shared], NOW)).toEqual([shared]);
  });

  ctx.it('should forget a removed process and prune expired ones', async () => {
    const [gone, old, live] = [randomUUID(), randomUUID(), randomUUID()];
    const [a, b, c] = [url(), url(), url()];
    await servers().heartbeat(gone, a, NOW + 30_000);
    await servers().heartbeat(old, b, 1_000); // far in the past: pruning it cannot touch other tests' rows
    await servers().heartbeat(live, c, NOW + 30_000);
    await servers().remove(gone);
    await servers().prune(2_000);
    expect(await mine([a, b, c], 0)).toEqual([c]);
  });

  ctx.it('should take the fractional epoch ms a monotonic clock gives', async () => {
    const a = url();
    await servers().heartbeat(randomUUID(), a, NOW + 30_000.6);
    expect(await mine([a], NOW + 0.25)).toEqual([a]);
    await servers().prune(NOW - 0.5);
    expect(await mine([a], NOW + 30_001.5)).toEqual([]);
  });
}
