/**
 * The quarantine store: `<stateDir>/quarantine/<sha1>/<n>.bin` holds a copy XOR-encoded with a
 * fixed key (so it is no valid ELF or script and cannot run), mode 0600; `<n>.json` keeps what
 * restore needs to put it back exactly: path, owner, mode, timestamps, size.
 */
import type { FileStat } from '../../platform/types.js';
import type { ExecutorContext } from '../types.js';

export const QUARANTINE_KEY = 0xa5;

export interface QuarantineRecord {
  sha1: string;
  path: string;
  uid: number;
  gid: number;
  mode: number;
  atimeMs: number;
  mtimeMs: number;
  size: number;
  quarantinedAt: number;
}

export const SHA1_RE = /^[0-9a-fA-F]{40}$/;

export function sha1ParamError(params: unknown): string | undefined {
  if (params === null || typeof params !== 'object') return 'Parameters must be an object';
  const s = (params as Record<string, unknown>).Sha1;
  return typeof s === 'string' && SHA1_RE.test(s) ? undefined : 'Sha1 must be 40 hexadecimal characters';
}

export const quarantineDir = (stateDir: string, sha1: string) => `${stateDir}/quarantine/${sha1.toLowerCase()}`;

type Ctx = Pick<ExecutorContext, 'platform' | 'stateDir' | 'now'>;

/** Copies the file into the store, then removes the original (a crash in between loses nothing). */
export async function quarantineFile(ctx: Ctx, sha1: string, path: string, seen?: FileStat): Promise<string> {
  const dir = quarantineDir(ctx.stateDir, sha1);
  await ctx.platform.fs.mkdirp(dir, 0o700);
  const st = await ctx.platform.fs.lstat(path);
  if (!st?.isFile) throw new Error(`${path} is no longer a regular file`);
  const names = await ctx.platform.fs.readDir(dir);
  let n = 0;
  while (names.includes(`${n}.bin`) || names.includes(`${n}.json`)) n++;
  await ctx.platform.fs.encodeCopy(path, `${dir}/${n}.bin`, QUARANTINE_KEY);
  // Times as first seen (before our own reads touched atime), owner and mode as they are now.
  const record: QuarantineRecord = { sha1, path, uid: st.uid, gid: st.gid, mode: st.mode, atimeMs: seen?.atimeMs ?? st.atimeMs, mtimeMs: st.mtimeMs, size: st.size, quarantinedAt: ctx.now() };
  await ctx.platform.fs.writeFileAtomic(`${dir}/${n}.json`, JSON.stringify(record, null, 2), 0o600);
  await ctx.platform.fs.unlink(path);
  return `${dir}/${n}.bin`;
}

export async function listQuarantined(ctx: Ctx, sha1: string): Promise<{ n: string; record: QuarantineRecord }[]> {
  const dir = quarantineDir(ctx.stateDir, sha1);
  const out: { n: string; record: QuarantineRecord }[] = [];
  for (const name of (await ctx.platform.fs.readDir(dir)).sort()) {
    if (!name.endsWith('.json')) continue;
    const text = await ctx.platform.fs.readText(`${dir}/${name}`);
    if (text) out.push({ n: name.slice(0, -5), record: JSON.parse(text) as QuarantineRecord });
  }
  return out;
}
