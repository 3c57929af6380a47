import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { startServerRegistry } from './server-registry.js';

describe(startServerRegistry.name, () => {
  let store: Store;
  const clock = { now: () => Date.parse('2026-12-04T00:00:00Z') };
  let warned: { obj: Record<string, unknown>; msg: string }[];
  const log = {
    error: () => {},
    warn: (obj: unknown, msg?: string) => void warned.push({ obj: obj as Record<string, unknown>, msg: String(msg) }),
  } as unknown as Parameters<typeof startServerRegistry>[0]['log'];
  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    warned = [];
  });
  afterEach(async () => {
    await store.close();
  });

  it('should say nothing when every process has the same public URL', async () => {
    const a = await startServerRegistry({ servers: store.servers, clock, publicUrl: 'https://cordon.example', log, intervalMs: 0 });
    const b = await startServerRegistry({ servers: store.servers, clock, publicUrl: 'https://cordon.example', log, intervalMs: 0 });
    await a.refresh();
    expect(a.urls()).toEqual(['https://cordon.example']);
    expect(warned).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("should warn that tokens will not cross when another process's public URL differs", async () => {
    const a = await startServerRegistry({ servers: store.servers, clock, publicUrl: 'https://node1.example', log, intervalMs: 0 });
    const b = await startServerRegistry({ servers: store.servers, clock, publicUrl: 'https://node2.example', log, intervalMs: 0 });
    await a.refresh();
    expect(warned.map((w) => w.obj)).toEqual([
      { publicUrl: 'https://node2.example', otherPublicUrls: ['https://node1.example'] },
      { publicUrl: 'https://node1.example', otherPublicUrls: ['https://node2.example'] },
    ]);
    expect(warned[0]!.msg).toContain('CORDON_PUBLIC_URL');
    await Promise.all([a.stop(), b.stop()]);
  });
});
