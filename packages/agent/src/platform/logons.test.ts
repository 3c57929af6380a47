/**
 * The login-record reader against records written by util-linux's `utmpdump -r` (an independent
 * writer of glibc's struct utmp), so the layout is checked against the real thing, not our own idea of it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOGON_REPORT_LIMITS } from '@cordon/protocol';
import { UTMP_RECORD_BYTES, parseLoginRecords, readLogonUsers, summarizeLogins } from './logons.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-logons-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One utmpdump text line: type, pid, id, user, line, host, address, time. */
const line = (type: number, user: string, tty: string, host: string, time: string) => `[${type}] [01234] [${tty.slice(-4)}] [${user}] [${tty}] [${host}] [0.0.0.0] [${time}]`;
const login = (user: string, tty: string, host: string, time: string) => line(7, user, tty, host, time);

/** Binary utmp records, as the system writes them. */
function records(lines: string[]): Buffer {
  return execFileSync('utmpdump', ['-r'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'pipe', 'ignore'] });
}

describe('parseLoginRecords', () => {
  it('should read user logins with terminal, remote host and time, and skip logouts and boots', () => {
    const data = records([
      login('alice', 'pts/0', '203.0.113.9', '2026-11-20T09:30:00,500000+00:00'),
      login('bob', 'tty1', '', '2026-11-19T08:00:00,000000+00:00'),
      line(8, '', 'pts/0', '', '2026-11-20T10:00:00,000000+00:00'),
      // A boot record, in utmpdump's own padded layout.
      '[2] [00000] [~~  ] [reboot  ] [~           ] [6.1.0               ] [0.0.0.0        ] [2026-11-19T07:59:00,000000+00:00]',
    ]);
    expect(data.length).toBe(4 * UTMP_RECORD_BYTES);
    expect(parseLoginRecords(data)).toEqual([
      { user: 'alice', line: 'pts/0', host: '203.0.113.9', timeMs: Date.parse('2026-11-20T09:30:00.500Z') },
      { user: 'bob', line: 'tty1', host: '', timeMs: Date.parse('2026-11-19T08:00:00Z') },
    ]);
  });

  it('should ignore a torn record at the end', () => {
    const data = records([login('alice', 'tty1', '', '2026-11-20T09:30:00,000000+00:00')]);
    expect(parseLoginRecords(Buffer.concat([data, data.subarray(0, 100)]))).toHaveLength(1);
  });
});

describe('summarizeLogins', () => {
  it('should give one entry per account: first and last login, Interactive for a terminal or local display, RemoteInteractive with a remote host', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(
      summarizeLogins([
        { user: 'alice', line: 'tty1', host: '', timeMs: at('2026-11-01T08:00:00Z') },
        { user: 'alice', line: 'pts/1', host: '10.0.0.7', timeMs: at('2026-11-20T09:00:00Z') },
        { user: 'carol', line: 'tty7', host: ':0', timeMs: at('2026-11-10T09:00:00Z') },
        { user: 'evil\\name', line: 'tty2', host: '', timeMs: at('2026-11-10T09:00:00Z') },
      ]),
    ).toEqual([
      { accountName: 'alice', logonTypes: ['Interactive', 'RemoteInteractive'], firstSeen: '2026-11-01T08:00:00.000Z', lastSeen: '2026-11-20T09:00:00.000Z' },
      { accountName: 'carol', logonTypes: ['Interactive'], firstSeen: '2026-11-10T09:00:00.000Z', lastSeen: '2026-11-10T09:00:00.000Z' },
    ]);
  });

  it('should keep only the most recently seen accounts up to the report limit', () => {
    const many = Array.from({ length: LOGON_REPORT_LIMITS.users + 10 }, (_, i) => ({ user: `u${i}`, line: 'tty1', host: '', timeMs: Date.UTC(2026, 0, 1) + i * 60_000 }));
    const users = summarizeLogins(many);
    expect(users).toHaveLength(LOGON_REPORT_LIMITS.users);
    expect(users[0]!.accountName).toBe(`u${LOGON_REPORT_LIMITS.users + 9}`);
    expect(users.some((u) => u.accountName === 'u0')).toBe(false);
  });
});

describe('readLogonUsers', () => {
  it('should merge the history and current-session files, and read nothing from a missing one', async () => {
    writeFileSync(join(dir, 'wtmp'), records([login('alice', 'tty1', '', '2026-11-01T08:00:00,000000+00:00')]));
    writeFileSync(join(dir, 'utmp'), records([login('alice', 'pts/0', 'laptop.example', '2026-11-21T07:00:00,000000+00:00')]));
    expect(await readLogonUsers([join(dir, 'wtmp'), join(dir, 'utmp'), join(dir, 'missing')])).toEqual([
      { accountName: 'alice', logonTypes: ['Interactive', 'RemoteInteractive'], firstSeen: '2026-11-01T08:00:00.000Z', lastSeen: '2026-11-21T07:00:00.000Z' },
    ]);
  });

  it('should read only the newest records within the byte bound, aligned to whole records', async () => {
    const file = join(dir, 'wtmp');
    writeFileSync(file, records([login('old', 'tty1', '', '2026-01-01T00:00:00,000000+00:00')]));
    appendFileSync(file, records([login('mid', 'tty1', '', '2026-02-01T00:00:00,000000+00:00'), login('new', 'tty1', '', '2026-03-01T00:00:00,000000+00:00')]));
    appendFileSync(file, Buffer.alloc(17)); // a record being written right now
    const users = await readLogonUsers([file], 2 * UTMP_RECORD_BYTES + 100);
    expect(users.map((u) => u.accountName)).toEqual(['new', 'mid']);
  });
});
