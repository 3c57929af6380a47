/** nftables through the `nft` binary: scripts go in on stdin so one script is one transaction. */
import type { Exec, Nft } from './types.js';

export function createNft(exec: Exec): Nft {
  return {
    async apply(script) {
      const r = await exec('nft', ['-f', '-'], { input: script, timeoutMs: 30_000 });
      return { ok: r.exitCode === 0, stderr: r.stderr.trim() };
    },
    async listTable(family, name) {
      const r = await exec('nft', ['list', 'table', family, name], { timeoutMs: 30_000 });
      return r.exitCode === 0 ? r.stdout : undefined;
    },
  };
}
