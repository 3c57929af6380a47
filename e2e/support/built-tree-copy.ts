/**
 * A newcomer's checkout after `npm ci && npm run build`, made from this (already built) working
 * tree in seconds rather than minutes: the files git would clone (tracked plus new, not ignored),
 * the packages' build output, and a node_modules laid out as `npm ci` lays it out — the workspace
 * packages and the `cordon` bin linked into the copy, every third-party package linked to this
 * tree's installed one (same lockfile, nothing to download), including those npm nests under a
 * workspace package (`packages/<name>/node_modules`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function copyBuiltTree(root: string, dest: string): void {
  const files = execFileSync('git', ['-C', root, 'ls-files', '-z', '-co', '--exclude-standard'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(root, file), join(dest, file));
  }
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dist = join(root, 'packages', pkg, 'dist');
    if (existsSync(dist)) cpSync(dist, join(dest, 'packages', pkg, 'dist'), { recursive: true });
  }
  linkNodeModules(root, dest);
}

function linkNodeModules(root: string, dest: string): void {
  const modules = join(dest, 'node_modules');
  mkdirSync(join(modules, '@cordon'), { recursive: true });
  mkdirSync(join(modules, '.bin'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '@cordon' || entry === '.bin') continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  for (const pkg of readdirSync(join(dest, 'packages'))) {
    const nested = join(root, 'packages', pkg, 'node_modules');
    if (existsSync(nested)) symlinkSync(nested, join(dest, 'packages', pkg, 'node_modules'));
    const manifest = JSON.parse(readFileSync(join(dest, 'packages', pkg, 'package.json'), 'utf8')) as { name: string; bin?: Record<string, string> };
    symlinkSync(join('..', '..', 'packages', pkg), join(modules, manifest.name));
    for (const [name, target] of Object.entries(manifest.bin ?? {})) symlinkSync(join('..', manifest.name, target), join(modules, '.bin', name));
  }
}
