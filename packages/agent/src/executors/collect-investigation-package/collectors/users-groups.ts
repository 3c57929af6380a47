/**
 * Users and groups: accounts (with password *status* from /etc/shadow, never the hashes), groups
 * with their members (explicit and primary), and the sudoers rules.
 */
import type { Collector } from '../collector.js';
import { toCsv } from '../csv.js';
import { accounts, readText, Sections } from './util.js';

const FOLDER = 'Users and Groups';

function passwordStatus(hash: string | undefined): string {
  if (hash === undefined) return 'Unknown';
  if (hash === '') return 'NoPassword';
  if (hash.startsWith('!') || hash.startsWith('*')) return 'Locked';
  return 'Set';
}

export const users: Collector = {
  name: 'Users',
  folder: FOLDER,
  fileName: 'Users.csv',
  command: 'read /etc/passwd; password status and last change from /etc/shadow',
  async collect(ctx) {
    const shadow = new Map<string, string[]>();
    for (const line of ((await readText(ctx, '/etc/shadow')) ?? '').split('\n')) {
      const f = line.split(':');
      if (f.length >= 3) shadow.set(f[0], f);
    }
    const rows = (await accounts(ctx)).map((a) => {
      const s = shadow.get(a.name);
      const days = s?.[2] ? Number(s[2]) : NaN;
      const changed = Number.isFinite(days) ? new Date(days * 86_400_000).toISOString().slice(0, 10) : '';
      return [a.name, a.uid, a.gid, a.gecos, a.home, a.shell, passwordStatus(s?.[1]), changed];
    });
    return { data: toCsv(['User', 'Uid', 'Gid', 'Gecos', 'Home', 'Shell', 'PasswordStatus', 'PasswordLastChanged'], rows) };
  },
};

export const groups: Collector = {
  name: 'Groups',
  folder: FOLDER,
  fileName: 'Groups.csv',
  command: 'read /etc/group and /etc/passwd (primary group members)',
  async collect(ctx) {
    const all = await accounts(ctx);
    const rows: (string | number)[][] = [];
    for (const line of ((await readText(ctx, '/etc/group')) ?? '').split('\n')) {
      const f = line.split(':');
      if (f.length < 4 || line.startsWith('#')) continue;
      const gid = Number(f[2]);
      const members = [...f[3].split(',').filter(Boolean)];
      for (const a of all) if (a.gid === gid && !members.includes(a.name)) members.push(a.name);
      rows.push([f[0], gid, members.join(' ')]);
    }
    return { data: toCsv(['Group', 'Gid', 'Members'], rows) };
  },
};

export const sudoers: Collector = {
  name: 'Sudoers',
  folder: FOLDER,
  fileName: 'Sudoers.txt',
  command: 'read /etc/sudoers, /etc/sudoers.d/*',
  async collect(ctx) {
    const s = new Sections();
    await s.addFile(ctx, '/etc/sudoers');
    await s.addDir(ctx, '/etc/sudoers.d');
    return { data: s.text('No /etc/sudoers or /etc/sudoers.d found.'), truncated: s.truncated };
  },
};
