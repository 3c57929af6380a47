/** Helpers shared by the collectors: tool lookup and runs, capped text reads, passwd/group maps. */
import { NotAvailableError, type CollectorContext } from '../collector.js';

const TOOL_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The device path of a tool, looked up through the (root-relative) fs, so a fake root has none. */
export async function findTool(ctx: CollectorContext, name: string): Promise<string | undefined> {
  for (const dir of TOOL_DIRS) {
    const info = await ctx.fs.stat(`${dir}/${name}`);
    if (info?.type === 'file' && (info.mode & 0o111) !== 0) return `${dir}/${name}`;
  }
  return undefined;
}

/** Runs a tool (argv, no shell) under the collector's signal and caps; throws on a non-zero exit. */
export async function runTool(ctx: CollectorContext, name: string, args: readonly string[], okCodes: readonly number[] = [0]): Promise<{ text: string; truncated: boolean }> {
  const path = await findTool(ctx, name);
  if (!path) throw new NotAvailableError(`${name} is not installed`);
  const res = await ctx.exec(path, args, { signal: ctx.signal, timeoutMs: ctx.timeoutMs, maxOutputBytes: ctx.maxBytes + 1, env: { LC_ALL: 'C' } });
  if (!okCodes.includes(res.exitCode)) {
    throw new Error(`${name} exited with ${res.exitCode}${res.stderr.trim() ? `: ${res.stderr.trim().slice(0, 300)}` : ''}`);
  }
  return { text: res.stdout, truncated: Buffer.byteLength(res.stdout) > ctx.maxBytes };
}

/** Text sections with a header per source, as `tail -n +1` prints them; tracks truncation. */
export class Sections {
  parts: string[] = [];
  truncated = false;

  add(title: string, body: string): void {
    this.parts.push(`==> ${title} <==\n${body}${body.endsWith('\n') || body === '' ? '' : '\n'}\n`);
  }

  /** Appends the file's text; returns false (and records nothing) when it does not exist. */
  async addFile(ctx: CollectorContext, path: string, options: { tail?: boolean } = {}): Promise<boolean> {
    const read = options.tail ? await ctx.fs.readTail(path, ctx.maxBytes) : await ctx.fs.readFile(path, ctx.maxBytes);
    if (!read) return false;
    this.truncated ||= read.truncated;
    this.add(path, read.data.toString('utf8'));
    return true;
  }

  /** Every regular file (or symlink to one) directly in `dir`, sorted by name. */
  async addDir(ctx: CollectorContext, dir: string): Promise<number> {
    let n = 0;
    for (const path of await filesIn(ctx, dir)) if (await this.addFile(ctx, path)) n++;
    return n;
  }

  text(emptyMessage: string): string {
    return this.parts.length > 0 ? this.parts.join('') : `${emptyMessage}\n`;
  }
}

/** Paths of the regular files directly in `dir` (symlinks followed one level), sorted. */
export async function filesIn(ctx: CollectorContext, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await ctx.fs.readDir(dir)) ?? []) {
    const path = `${dir}/${e.name}`;
    if (e.type === 'file' || (e.type === 'symlink' && (await ctx.fs.stat(path))?.type === 'file')) out.push(path);
  }
  return out;
}

export async function readText(ctx: CollectorContext, path: string): Promise<string | undefined> {
  return (await ctx.fs.readFile(path, ctx.maxBytes))?.data.toString('utf8');
}

export interface Account {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

/** /etc/passwd, parsed once per package. */
export function accounts(ctx: CollectorContext): Promise<Account[]> {
  return ctx.memo('passwd', async () => {
    const text = (await readText(ctx, '/etc/passwd')) ?? '';
    return text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'))
      .filter((f) => f.length >= 7)
      .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), gecos: f[4], home: f[5], shell: f[6] }));
  });
}

export async function userName(ctx: CollectorContext, uid: number): Promise<string> {
  return (await accounts(ctx)).find((a) => a.uid === uid)?.name ?? String(uid);
}

/** Accounts with a home directory worth reading (exists, not `/` or /nonexistent). */
export async function homes(ctx: CollectorContext): Promise<Account[]> {
  const out: Account[] = [];
  const seen = new Set<string>();
  for (const a of await accounts(ctx)) {
    if (!a.home || a.home === '/' || seen.has(a.home)) continue;
    if ((await ctx.fs.stat(a.home))?.type !== 'dir') continue;
    seen.add(a.home);
    out.push(a);
  }
  return out;
}

/** Maps `items` through `fn` with at most `limit` in flight (the /proc scans touch thousands of files). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Whether systemd is the running init (the same test `sd_booted()` makes). */
export async function systemdRunning(ctx: CollectorContext): Promise<boolean> {
  return (await ctx.fs.stat('/run/systemd/system'))?.type === 'dir';
}
