/** Text renderings shared by the console commands: paths, modes, times and aligned tables. */
import { posix } from 'node:path';
import type { LiveConsoleTable } from '@cordon/protocol';

/** A console path resolved against the session's directory (`~` is not expanded: no shell here). */
export function resolvePath(cwd: string, path: string): string {
  return posix.resolve(cwd, path);
}

const TYPE_CHAR: Record<string, string> = { dir: 'd', symlink: 'l', file: '-', other: '?' };

/** `ls -l` style permissions, from the mode bits (`drwxr-xr-x`, setuid/setgid/sticky included). */
export function modeString(type: string, mode: number): string {
  const rwx = (bits: number, special: boolean, specialChar: string) =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? specialChar : specialChar.toUpperCase()) : bits & 1 ? 'x' : '-'}`;
  return (TYPE_CHAR[type] ?? '?') + rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') + rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') + rwx(mode & 7, (mode & 0o1000) !== 0, 't');
}

export function isoTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** Columns padded to their widest cell, one row a line. */
export function renderTable(table: LiveConsoleTable): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** `name: value` lines, the names aligned. */
export function renderFields(fields: [string, string | number][]): string {
  const w = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(w + 1)} ${v}`).join('\n') + '\n';
}
