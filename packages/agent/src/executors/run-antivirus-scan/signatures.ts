/**
 * Tenant signatures as ClamAV database files in a directory of their own: hash lines go to
 * tenant.hdb (MD5) or tenant.hsb (SHA-1/SHA-256) by the hash length, each YARA rule text to its own
 * .yar file (one bad rule then cannot hide the others' names). Malformed hash lines are dropped and
 * counted, since ClamAV refuses a whole database over one bad line.
 */
import type { ExecutorContext } from '../types.js';

export async function writeTenantSignatures(ctx: Pick<ExecutorContext, 'platform' | 'settings'>, dir: string): Promise<{ count: number; dropped: number }> {
  await ctx.platform.fs.remove(dir);
  await ctx.platform.fs.mkdirp(dir, 0o700);
  const hdb: string[] = [];
  const hsb: string[] = [];
  let dropped = 0;
  for (const line of ctx.settings.scanSignatures?.hashes ?? []) {
    const m = /^([0-9a-fA-F]+):(\d+|\*):([A-Za-z0-9._-]+)(:\d+)?$/.exec(line.trim());
    if (m && m[1].length === 32) hdb.push(line.trim());
    else if (m && (m[1].length === 40 || m[1].length === 64)) hsb.push(line.trim());
    else dropped++;
  }
  if (hdb.length) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant.hdb`, hdb.join('\n') + '\n', 0o600);
  if (hsb.length) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant.hsb`, hsb.join('\n') + '\n', 0o600);
  const yara = ctx.settings.scanSignatures?.yara ?? [];
  for (const [i, rule] of yara.entries()) await ctx.platform.fs.writeFileAtomic(`${dir}/tenant-${i}.yar`, rule, 0o600);
  return { count: hdb.length + hsb.length + yara.length, dropped };
}
