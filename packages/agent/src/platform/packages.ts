/**
 * What counts as trusted code for RestrictCodeExecution: every file dpkg installed, read once from
 * /var/lib/dpkg/info/*.list (calling `dpkg -S` per file would be far slower), and the agent's own
 * runtime. Paths are canonicalised directory by directory because Debian's lists name `/bin/ls`
 * while, on merged-/usr systems, the kernel reports the executed file as `/usr/bin/ls`.
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PackageTrust } from './types.js';

export async function canonicalise(paths: Iterable<string>, resolveDir: (dir: string) => Promise<string | undefined>): Promise<string[]> {
  const dirs = new Map<string, string | undefined>();
  const out = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith('/') || p === '/') continue;
    const d = dirname(p);
    if (!dirs.has(d)) dirs.set(d, await resolveDir(d));
    const real = dirs.get(d);
    if (real !== undefined) out.add(join(real, basename(p)));
  }
  return [...out].sort();
}

export function createPackageTrust(options: { dpkgInfoDir?: string; runtimeFiles?: () => string[] } = {}): PackageTrust {
  const infoDir = options.dpkgInfoDir ?? '/var/lib/dpkg/info';
  return {
    async packageOwnedFiles() {
      let names: string[] = [];
      try {
        names = (await readdir(infoDir)).filter((n) => n.endsWith('.list'));
      } catch {
        return []; // not a dpkg system: nothing is package-trusted
      }
      const all: string[] = [];
      for (const n of names) all.push(...(await readFile(join(infoDir, n), 'utf8')).split('\n').filter(Boolean));
      return canonicalise(all, (d) => realpath(d).catch(() => undefined));
    },
    async runtimeFiles() {
      const files = options.runtimeFiles?.() ?? [process.execPath];
      return canonicalise(files, (d) => realpath(d).catch(() => undefined));
    },
  };
}
