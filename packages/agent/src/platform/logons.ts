/**
 * Who logged on to this device, from the utmp-format login records (`/var/log/wtmp` history,
 * `/run/utmp` current sessions), for the `agent/logons` report.
 *
 * Why the binary records and not `last`/`who` output or `loginctl`: the records are a fixed
 * 384-byte struct (glibc `struct utmp`, the same on every Linux architecture glibc supports), so
 * reading them needs no tool and no locale- or version-dependent text parsing; `loginctl` knows only
 * current sessions, not who logged on yesterday. Reads are bounded: only the newest `maxBytes` of a
 * file (wtmp grows until rotated), and a missing or unreadable file is simply no records.
 */
import { open } from 'node:fs/promises';
import { LOGON_REPORT_LIMITS, type LogonType, type ReportedLogonUser } from '@cordon/protocol';

/** sizeof(struct utmp) with glibc on Linux. */
export const UTMP_RECORD_BYTES = 384;
/** ut_type of a user's login session. */
const USER_PROCESS = 7;
const OFFSETS = { type: 0, line: 8, user: 44, host: 76, tvSec: 340, tvUsec: 344 } as const;
const FIELD_BYTES = { line: 32, user: 32, host: 256 } as const;

/** One login: who, on which terminal, from where (empty for a local one), when (epoch ms). */
export interface LoginRecord {
  user: string;
  line: string;
  host: string;
  timeMs: number;
}

/** The USER_PROCESS records in `data` (whole records only; a torn last record is ignored). */
export function parseLoginRecords(data: Buffer): LoginRecord[] {
  const out: LoginRecord[] = [];
  for (let at = 0; at + UTMP_RECORD_BYTES <= data.length; at += UTMP_RECORD_BYTES) {
    if (data.readInt16LE(at + OFFSETS.type) !== USER_PROCESS) continue;
    const user = cString(data, at + OFFSETS.user, FIELD_BYTES.user);
    if (!user) continue;
    out.push({
      user,
      line: cString(data, at + OFFSETS.line, FIELD_BYTES.line),
      host: cString(data, at + OFFSETS.host, FIELD_BYTES.host),
      timeMs: data.readInt32LE(at + OFFSETS.tvSec) * 1000 + Math.floor(data.readInt32LE(at + OFFSETS.tvUsec) / 1000),
    });
  }
  return out;
}

/**
 * MDE's logon types for a Linux login: a remote host means ssh (or telnet, rlogin) —
 * RemoteInteractive; a terminal or a local X display (`:0`) — Interactive.
 */
export function logonTypeOf(r: Pick<LoginRecord, 'host'>): LogonType {
  return r.host !== '' && !r.host.startsWith(':') ? 'RemoteInteractive' : 'Interactive';
}

/** One entry per account: earliest and latest login, the logon types seen; the most recent accounts first, capped. */
export function summarizeLogins(records: readonly LoginRecord[]): ReportedLogonUser[] {
  const byUser = new Map<string, { first: number; last: number; types: Set<LogonType> }>();
  for (const r of records) {
    if (!isReportableName(r.user) || !Number.isFinite(r.timeMs) || r.timeMs <= 0) continue;
    const u = byUser.get(r.user) ?? { first: r.timeMs, last: r.timeMs, types: new Set<LogonType>() };
    u.first = Math.min(u.first, r.timeMs);
    u.last = Math.max(u.last, r.timeMs);
    u.types.add(logonTypeOf(r));
    byUser.set(r.user, u);
  }
  return [...byUser.entries()]
    .sort(([, a], [, b]) => b.last - a.last)
    .slice(0, LOGON_REPORT_LIMITS.users)
    .map(([accountName, u]) => ({ accountName, logonTypes: [...u.types].sort(), firstSeen: new Date(u.first).toISOString(), lastSeen: new Date(u.last).toISOString() }));
}

/** Reads the newest `maxBytes` of each record file and summarizes the logins in them. */
export async function readLogonUsers(files: readonly string[], maxBytes = 8 * 1024 * 1024): Promise<ReportedLogonUser[]> {
  const records: LoginRecord[] = [];
  for (const file of files) records.push(...parseLoginRecords(await readTail(file, maxBytes)));
  return summarizeLogins(records);
}

/** The last whole records of `file` within `maxBytes`; empty when it cannot be read. */
async function readTail(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return Buffer.alloc(0);
  try {
    const size = (await handle.stat()).size;
    const whole = size - (size % UTMP_RECORD_BYTES);
    const length = Math.min(whole, maxBytes - (maxBytes % UTMP_RECORD_BYTES));
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, whole - length);
    return buffer.subarray(0, bytesRead);
  } catch {
    return Buffer.alloc(0);
  } finally {
    await handle.close();
  }
}

function cString(data: Buffer, offset: number, length: number): string {
  const field = data.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** What the server accepts as an account name (LogonReportParams): printable, no backslash, bounded. */
function isReportableName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  return name.length <= LOGON_REPORT_LIMITS.accountNameLength && !/[\\\u0000-\u001f\u007f\ufffd]/.test(name);
}
