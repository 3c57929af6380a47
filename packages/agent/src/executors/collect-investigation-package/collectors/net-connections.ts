/**
 * Active connections with their owning process, from /proc/net/{tcp,tcp6,udp,udp6} joined with
 * the socket inodes found under /proc/<pid>/fd: what `ss -tanup` prints, without a process.
 */
import type { Collector, CollectorContext } from '../collector.js';
import { toCsv } from '../csv.js';
import { openFds, processes } from './proc-scan.js';
import { userName } from './util.js';

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING', '0C': 'NEW_SYN_RECV',
};

/** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
function wordsToBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  return bytes;
}

/** IPv6 text form with the longest run of zero groups shortened to `::` (RFC 5952). */
function formatIpv6(bytes: number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

export function decodeAddress(field: string): { address: string; port: number } {
  const [hex, port] = field.split(':');
  const bytes = wordsToBytes(hex);
  return { address: bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes), port: parseInt(port, 16) };
}

const TABLES = [
  ['tcp', '/proc/net/tcp'], ['tcp6', '/proc/net/tcp6'], ['udp', '/proc/net/udp'], ['udp6', '/proc/net/udp6'],
] as const;

export interface InetConnection {
  proto: (typeof TABLES)[number][0];
  local: { address: string; port: number };
  remote: { address: string; port: number };
  state: string;
  uid: number;
  pids: number[];
  inode: string;
}

/** Socket inode -> the pids holding it, from the /proc/<pid>/fd scan. */
export async function socketOwners(ctx: CollectorContext): Promise<{ owners: Map<string, number[]>; truncated: boolean }> {
  const { fds, truncated } = await openFds(ctx);
  const owners = new Map<string, number[]>();
  for (const f of fds) {
    const m = /^socket:\[(\d+)\]$/.exec(f.target);
    if (m && !owners.get(m[1])?.includes(f.pid)) owners.set(m[1], [...(owners.get(m[1]) ?? []), f.pid]);
  }
  return { owners, truncated };
}

/** Every TCP and UDP socket of /proc/net/{tcp,tcp6,udp,udp6} with its owners (also the console's `connections`). */
export async function inetConnections(ctx: CollectorContext, owners: Map<string, number[]>): Promise<InetConnection[]> {
  const out: InetConnection[] = [];
  for (const [proto, path] of TABLES) {
    const text = (await ctx.fs.readFile(path, ctx.maxBytes))?.data.toString('utf8') ?? '';
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const state = proto.startsWith('udp') ? (f[3] === '07' ? 'UNCONN' : (TCP_STATES[f[3]] ?? f[3])) : (TCP_STATES[f[3]] ?? f[3]);
      out.push({ proto, local: decodeAddress(f[1]), remote: decodeAddress(f[2]), state, uid: Number(f[7]), pids: owners.get(f[9]) ?? [], inode: f[9] });
    }
  }
  return out;
}

export const activeConnections: Collector = {
  name: 'Active connections',
  folder: 'Network connections',
  fileName: 'ActiveNetConnections.csv',
  command: 'read /proc/net/{tcp,tcp6,udp,udp6}; readlink /proc/<pid>/fd/* for socket owners (as ss -tanup)',
  async collect(ctx) {
    const [{ owners, truncated }, procs] = await Promise.all([socketOwners(ctx), processes(ctx)]);
    const comm = new Map(procs.map((p) => [p.pid, p.comm]));
    const rows: (string | number)[][] = [];
    for (const c of await inetConnections(ctx, owners)) {
      rows.push([c.proto, c.local.address, c.local.port, c.remote.address, c.remote.port, c.state, await userName(ctx, c.uid), c.pids.join(' '), c.pids.map((p) => comm.get(p) ?? '').join(' '), c.inode]);
    }
    return {
      data: toCsv(['Protocol', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'User', 'Pids', 'ProcessNames', 'Inode'], rows),
      truncated,
    };
  },
};
