/**
 * `connections`: open sockets with their owning process — TCP and UDP through the investigation
 * package's /proc/net reader and fd scan, plus /proc/net/unix.
 */
import { inetConnections, socketOwners } from '../../executors/collect-investigation-package/collectors/net-connections.js';
import { processes } from '../../executors/collect-investigation-package/collectors/proc-scan.js';
import { collectorContext } from './collector-context.js';
import { renderTable } from './format.js';
import type { LiveCommandModule } from '../types.js';

export const CONNECTION_COLUMNS = ['proto', 'local', 'remote', 'state', 'pid', 'process'];

const UNIX_STATES: Record<string, string> = { '01': 'UNCONNECTED', '02': 'CONNECTING', '03': 'CONNECTED', '04': 'DISCONNECTING' };
/** __SO_ACCEPTCON in the Flags column: a listening socket. */
const ACCEPTING = 0x10000;

const hostPort = (a: { address: string; port: number }) => (a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);

/** /proc/net/unix: `Num RefCount Protocol Flags Type St Inode [Path]`. */
export function parseUnixSockets(text: string): { path: string; state: string; inode: string }[] {
  const out: { path: string; state: string; inode: string }[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const state = parseInt(f[3]!, 16) & ACCEPTING ? 'LISTEN' : (UNIX_STATES[f[5]!] ?? f[5]!);
    out.push({ path: f.slice(7).join(' '), state, inode: f[6]! });
  }
  return out;
}

export const connections: LiveCommandModule = {
  async run(ctx) {
    const cc = collectorContext(ctx, 10 * 60_000);
    const [{ owners }, procs] = await Promise.all([socketOwners(cc), processes(cc)]);
    const comm = new Map(procs.map((p) => [p.pid, p.comm]));
    const rows: (string | number | null)[][] = [];
    const add = (proto: string, local: string, remote: string, state: string, pids: number[]) => {
      if (pids.length === 0) rows.push([proto, local, remote, state, null, '']);
      for (const pid of pids) rows.push([proto, local, remote, state, pid, comm.get(pid) ?? '']);
    };
    for (const c of await inetConnections(cc, owners)) add(c.proto, hostPort(c.local), hostPort(c.remote), c.state, c.pids);
    ctx.signal.throwIfAborted();
    const unix = (await cc.fs.readFile('/proc/net/unix', cc.maxBytes))?.data.toString('utf8') ?? '';
    for (const u of parseUnixSockets(unix)) add('unix', u.path, '', u.state, owners.get(u.inode) ?? []);
    const table = { columns: CONNECTION_COLUMNS, rows };
    ctx.write(renderTable(table));
    ctx.write(`\n${rows.length} sockets\n`);
    return { table };
  },
};
