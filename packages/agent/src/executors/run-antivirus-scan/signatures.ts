/**
 * Tenant signatures as ClamAV database files in a directory of their own: hash lines go to
 * tenant.hdb (MD5) or tenant.hsb (SHA-1/SHA-256) by the hash length, each YARA rule text to its own
 * .yar file (one bad rule then cannot hide the others' names). Malformed hash lines are dropped and
 * counted, since ClamAV refuses a whole database over one bad line (a zero size, or a `*` size
 * without a minimum FLEVEL of 73, included: see hash-signatures.ts).
 */
import type { ExecutorContext } from '../types.js';
import { parseHashSignature, type ParsedHashSignature } from './hash-signatures.js';

export interface TenantSignatures {
  count: number;
  dropped: number;
  /** The hash lines kept (what tenant.hdb/.hsb hold). */
  hashes: ParsedHashSignature[];
  yaraCount: number;
}

export async function writeTenantSignatures(ctx: Pick<ExecutorContext, 'platform' | 'settings'>, dir: string): Promise<TenantSignatures> {
  await ctx.platform.fs.remove(dir);
  await ctx.platform.fs.mkdirp(dir, 0o700);
  const hdb: string[] = [];
  const hsb: string[] = [];
  const hashes: ParsedHashSignature[] = [];
  let dropped = 0;
  for (const line of ctx.settings.scanSignatures?.hashes ?? []) {
    const sig = parseHashSignature(line);
    if (!sig) dropped++;
    else {
      hashes.push(sig);
      (sig.algorithm === 'md5' ? hdb : hsb).push(sig.line);
    }
  }
  if (hdb.length) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant.hdb`, hdb.join('\n') + '\n', 0o600);
  if (hsb.length) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant.hsb`, hsb.join('\n') + '\n', 0o600);
  const yara = ctx.settings.scanSignatures?.yara ?? [];
  for (const [i, rule] of yara.entries()) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant-${i}.yar`, rule, 0o600);
  return { count: hdb.length + hsb.length + yara.length, dropped, hashes, yaraCount: yara.length };
}
