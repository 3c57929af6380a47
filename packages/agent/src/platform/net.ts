/** Name resolution and reachability, for keeping the isolation allow-list on the server's addresses. */
import { promises as dns } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { isIP, Socket } from 'node:net';
import type { Net } from './types.js';

export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    // A link-local v6 resolver carries a zone (`fe80::1%eth0`); nft sets cannot hold zones.
    if (m && isIP(m[1])) out.push(m[1]);
  }
  return out;
}

export function createNet(options: { resolvConf?: string } = {}): Net {
  return {
    async resolve(host) {
      if (isIP(host)) return [host];
      const [v4, v6] = await Promise.allSettled([dns.resolve4(host), dns.resolve6(host)]);
      const out = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
      if (out.length > 0) return out;
      // Names in /etc/hosts only: fall back to the system resolver (getaddrinfo).
      try {
        return (await dns.lookup(host, { all: true })).map((a) => a.address);
      } catch {
        return [];
      }
    },
    async resolvers() {
      try {
        return parseResolvConf(await readFile(options.resolvConf ?? '/etc/resolv.conf', 'utf8'));
      } catch {
        return [];
      }
    },
    tcpProbe(host, port, timeoutMs) {
      return new Promise((resolve) => {
        const s = new Socket();
        const done = (ok: boolean) => {
          s.destroy();
          resolve(ok);
        };
        s.setTimeout(timeoutMs, () => done(false));
        s.once('error', () => done(false));
        s.connect(port, host, () => done(true));
      });
    },
  };
}
