/** Network configuration data points: neighbours, addresses, routes, DNS, hosts, firewall. */
import { NotAvailableError, type Collector, type CollectorContext } from '../collector.js';
import { findTool, runTool, Sections } from './util.js';

const FOLDER = 'Network connections';

function ipJson(name: string, fileName: string, args: string[]): Collector {
  return {
    name,
    folder: FOLDER,
    fileName,
    command: `ip ${args.join(' ')}`,
    async collect(ctx) {
      const { text, truncated } = await runTool(ctx, 'ip', args);
      return { data: text, truncated };
    },
  };
}

export const addresses = ipJson('IP addresses', 'IpConfig.json', ['-j', 'addr', 'show']);
export const routes = ipJson('Routes', 'Routes.json', ['-j', 'route', 'show', 'table', 'all']);

/** The ARP/NDP neighbour table; /proc/net/arp (IPv4 only) when iproute2 is missing. */
export const neighbours: Collector = {
  name: 'ARP and neighbour table',
  folder: FOLDER,
  fileName: 'Arp.txt',
  command: 'ip neigh show (else /proc/net/arp)',
  async collect(ctx) {
    if (await findTool(ctx, 'ip')) {
      const { text, truncated } = await runTool(ctx, 'ip', ['neigh', 'show']);
      return { data: text || 'No neighbour entries.\n', truncated };
    }
    const s = new Sections();
    if (!(await s.addFile(ctx, '/proc/net/arp'))) throw new NotAvailableError('neither ip nor /proc/net/arp');
    return { data: s.text(''), truncated: s.truncated };
  },
};

function configFiles(name: string, fileName: string, files: string[], dirs: string[] = []): Collector {
  return {
    name,
    folder: FOLDER,
    fileName,
    command: `read ${[...files, ...dirs.map((d) => `${d}/*`)].join(', ')}`,
    async collect(ctx: CollectorContext) {
      const s = new Sections();
      for (const f of files) await s.addFile(ctx, f);
      for (const d of dirs) await s.addDir(ctx, d);
      return { data: s.text(`None of ${files.join(', ')} exist.`), truncated: s.truncated };
    },
  };
}

export const dnsConfig = configFiles('DNS configuration', 'DnsConfig.txt', ['/etc/resolv.conf', '/etc/nsswitch.conf', '/etc/systemd/resolved.conf', '/run/systemd/resolve/resolv.conf'], ['/etc/systemd/resolved.conf.d']);
export const hosts = configFiles('Hosts file', 'Hosts.txt', ['/etc/hosts', '/etc/hosts.allow', '/etc/hosts.deny']);

export const firewall: Collector = {
  name: 'Firewall ruleset',
  folder: FOLDER,
  fileName: 'FirewallRuleset.txt',
  command: 'nft list ruleset (else iptables-save and ip6tables-save)',
  async collect(ctx) {
    if (await findTool(ctx, 'nft')) {
      const { text, truncated } = await runTool(ctx, 'nft', ['list', 'ruleset']);
      return { data: text || 'The nftables ruleset is empty.\n', truncated };
    }
    const s = new Sections();
    let truncated = false;
    for (const tool of ['iptables-save', 'ip6tables-save']) {
      if (!(await findTool(ctx, tool))) continue;
      const out = await runTool(ctx, tool, []);
      s.add(tool, out.text);
      truncated ||= out.truncated;
    }
    if (s.parts.length === 0) throw new NotAvailableError('neither nft nor iptables-save is installed');
    return { data: s.text(''), truncated };
  },
};

export const NETWORK: readonly Collector[] = [addresses, routes, neighbours, dnsConfig, hosts, firewall];
