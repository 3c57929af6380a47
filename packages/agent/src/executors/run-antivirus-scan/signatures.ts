/**
 * The signatures of one scan as ClamAV database files in a directory of their own: the built-in set
 * (builtin-signatures.ts) always, then the tenant's. Hash lines go to `.hdb` (MD5) or `.hsb`
 * (SHA-1/SHA-256) by the hash length, each YARA rule text to its own .yar file (one bad rule then
 * cannot hide the others' names). Malformed tenant hash lines are dropped and counted, since ClamAV
 * refuses a whole database over one bad line (a zero size, or a `*` size without a minimum FLEVEL
 * of 73, included: see hash-signatures.ts).
 */
import type { ExecutorContext } from '../types.js';
import { BUILTIN_HASH_SIGNATURES } from './builtin-signatures.js';
import { parseHashSignature, type ParsedHashSignature } from './hash-signatures.js';

export interface ScanSignatures {
  /** Tenant signatures kept (hash lines and YARA rules). */
  tenantCount: number;
  dropped: number;
  /** Every hash line kept, built-in and tenant (what the .hdb/.hsb files hold). */
  hashes: ParsedHashSignature[];
  yaraCount: number;
}

export async function writeScanSignatures(ctx: Pick<ExecutorContext, 'platform' | 'settings'>, dir: string): Promise<ScanSignatures> {
  await ctx.platform.fs.remove(dir);
  await ctx.platform.fs.mkdirp(dir, 0o700);
  const builtin = await writeHashDatabases(ctx, `${dir}/builtin`, BUILTIN_HASH_SIGNATURES);
  const tenant = await writeHashDatabases(ctx, `${dir}/tenant`, ctx.settings.scanSignatures?.hashes ?? []);
  const yara = ctx.settings.scanSignatures?.yara ?? [];
  for (const [i, rule] of yara.entries()) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant-${i}.yar`, rule, 0o600);
  return { tenantCount: tenant.kept.length + yara.length, dropped: tenant.dropped, hashes: [...builtin.kept, ...tenant.kept], yaraCount: yara.length };
}

/** Writes `<base>.hdb` and `<base>.hsb` with the well-formed lines (files only when non-empty). */
async function writeHashDatabases(ctx: Pick<ExecutorContext, 'platform'>, base: string, lines: readonly string[]): Promise<{ kept: ParsedHashSignature[]; dropped: number }> {
  const hdb: string[] = [];
  const hsb: string[] = [];
  const kept: ParsedHashSignature[] = [];
  let dropped = 0;
  for (const line of lines) {
    const sig = parseHashSignature(line);
    if (!sig) dropped++;
    else {
      kept.push(sig);
      (sig.algorithm === 'md5' ? hdb : hsb).push(sig.line);
    }
  }
  if (hdb.length) await ctx.platform.fs.writeFileAtomic(`${base}.hdb`, hdb.join('\n') + '\n', 0o600);
  if (hsb.length) await ctx.platform.fs.writeFileAtomic(`${base}.hsb`, hsb.join('\n') + '\n', 0o600);
  return { kept, dropped };
}
