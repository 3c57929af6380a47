import { describe, expect, it } from 'vitest';
import type { SecretStore } from '@cordon/core';
import { DownloadLinks } from './link-signer.js';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async getOrCreate(name: string, create: () => string) {
    if (!this.values.has(name)) this.values.set(name, create());
    return this.values.get(name)!;
  }
}

const blobId = 'ab'.repeat(16);
const parse = (url: string) => {
  const u = new URL(url);
  return { blobId: u.pathname.split('/').pop()!, se: u.searchParams.get('se') ?? undefined, fn: u.searchParams.get('fn') ?? undefined, sig: u.searchParams.get('sig') ?? undefined };
};

describe(DownloadLinks.name, () => {
  it('should accept its own link until the expiry second, then refuse it as expired', async () => {
    let now = 1_000_000_000_000;
    const links = new DownloadLinks({ secrets: new MemorySecrets(), clock: { now: () => now } });
    const url = await links.mint('https://cordon.test', blobId, 'a.zip');
    expect(url).toMatch(new RegExp(`^https://cordon\\.test/downloads/${blobId}\\?se=1000001800&fn=a\\.zip&sig=[0-9a-f]{64}$`));
    now += 30 * 60_000 - 1;
    expect(await links.check(parse(url))).toEqual({ ok: true });
    now += 1;
    expect(await links.check(parse(url))).toEqual({ ok: false, reason: 'expired' });
  });

  it('should refuse any change to blob id, expiry, file name or signature', async () => {
    const links = new DownloadLinks({ secrets: new MemorySecrets(), clock: { now: () => 0 } });
    const p = parse(await links.mint('http://x', blobId, 'a.zip'));
    for (const altered of [{ ...p, blobId: 'cd'.repeat(16) }, { ...p, se: String(Number(p.se) + 1) }, { ...p, fn: 'b.zip' }, { ...p, sig: p.sig!.replace(/^./, (c) => (c === '0' ? '1' : '0')) }, { ...p, sig: undefined }, { ...p, se: '-1' }]) {
      expect(await links.check(altered)).toEqual({ ok: false, reason: 'bad-signature' });
    }
  });

  it('should share validity between processes on one secret store, and not across stores', async () => {
    const shared = new MemorySecrets();
    const clock = { now: () => 0 };
    const a = new DownloadLinks({ secrets: shared, clock });
    const b = new DownloadLinks({ secrets: shared, clock });
    const other = new DownloadLinks({ secrets: new MemorySecrets(), clock });
    const p = parse(await a.mint('http://x', blobId, 'a.zip'));
    expect(await b.check(p)).toEqual({ ok: true });
    expect(await other.check(p)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('should retry loading the secret after a failure', async () => {
    let fail = true;
    const secrets: SecretStore = { getOrCreate: async (_n, create) => (fail ? Promise.reject(new Error('db down')) : create()) };
    const links = new DownloadLinks({ secrets, clock: { now: () => 0 } });
    await expect(links.mint('http://x', blobId, 'a')).rejects.toThrow('db down');
    fail = false;
    await expect(links.mint('http://x', blobId, 'a')).resolves.toContain('/downloads/');
  });
});
