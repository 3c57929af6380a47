/**
 * The isolation ruleset, as pure text (unit tests assert it exactly). One table of our own, so
 * release is "delete that table" and touches nothing else. In nftables a packet must pass every
 * base chain on a hook, so our `policy drop` isolates whatever other tables accept.
 *
 * Allowed while isolated:
 * - loopback;
 * - TCP to the Cordon server's addresses:ports, and replies on those flows (`ct state established`),
 *   so the control channel keeps working (new connections included: the agent reconnects);
 * - DNS to the device's configured resolvers only, so the server's name can be re-resolved and the
 *   server sets kept current (a resolver on loopback is covered by the loopback rule);
 * - DHCP/DHCPv6 client traffic and ICMPv6 neighbour discovery, without which the device would lose
 *   its address or its IPv6 next hop, and with them the server;
 * - Selective: the tenant's exceptions, CIDRs (both directions) and host:port (TCP and UDP).
 * Forwarded traffic (containers, VMs behind this device) is dropped.
 */
import { isIP } from 'node:net';

export const ISOLATION_TABLE = 'cordon_isolation';
const T = `inet ${ISOLATION_TABLE}`;

export interface Endpoint {
  addr: string;
  port: number;
}

export interface IsolationPlan {
  type: 'Full' | 'Selective';
  server: Endpoint[];
  resolvers: string[];
  exceptionNets: string[];
  exceptionEndpoints: Endpoint[];
}

const v4 = (a: string) => isIP(a.split('/')[0]) === 4;
const v6 = (a: string) => isIP(a.split('/')[0]) === 6;
const uniq = <X>(xs: X[]) => [...new Set(xs)];

function pairs(eps: Endpoint[], fam: (a: string) => boolean): string[] {
  return uniq(eps.filter((e) => fam(e.addr)).map((e) => `${e.addr} . ${e.port}`)).sort();
}

function set(name: string, type: string, elements: string[], interval = false): string[] {
  return [
    `\tset ${name} {`,
    `\t\ttype ${type}`,
    ...(interval ? ['\t\tflags interval'] : []),
    ...(elements.length > 0 ? [`\t\telements = { ${elements.join(', ')} }`] : []),
    '\t}',
  ];
}

/** The set contents a plan puts in the table; also what the refresh timer rewrites in place. */
export function setElements(plan: IsolationPlan): Record<string, string[]> {
  return {
    server4: pairs(plan.server, v4),
    server6: pairs(plan.server, v6),
    dns4: uniq(plan.resolvers.filter(v4)).sort(),
    dns6: uniq(plan.resolvers.filter(v6)).sort(),
    except4: plan.type === 'Selective' ? pairs(plan.exceptionEndpoints, v4) : [],
    except6: plan.type === 'Selective' ? pairs(plan.exceptionEndpoints, v6) : [],
    exceptnet4: plan.type === 'Selective' ? uniq(plan.exceptionNets.filter(v4)).sort() : [],
    exceptnet6: plan.type === 'Selective' ? uniq(plan.exceptionNets.filter(v6)).sort() : [],
  };
}

const SET_TYPES: Record<string, [string, boolean]> = {
  server4: ['ipv4_addr . inet_service', false],
  server6: ['ipv6_addr . inet_service', false],
  dns4: ['ipv4_addr', false],
  dns6: ['ipv6_addr', false],
  except4: ['ipv4_addr . inet_service', false],
  except6: ['ipv6_addr . inet_service', false],
  exceptnet4: ['ipv4_addr', true],
  exceptnet6: ['ipv6_addr', true],
};

/**
 * The full script. The first two lines make it idempotent and atomic: `table` creates the table if
 * absent, `delete` removes it, and the definition recreates it, all in one nft transaction.
 */
export function buildIsolationRuleset(plan: IsolationPlan): string {
  const el = setElements(plan);
  const sets = Object.entries(SET_TYPES).flatMap(([name, [type, interval]]) => set(name, type, el[name], interval));
  const sel = plan.type === 'Selective';
  const lines = [
    `table ${T}`,
    `delete table ${T}`,
    `table ${T} {`,
    ...sets,
    '\tchain input {',
    '\t\ttype filter hook input priority -10; policy drop;',
    '\t\tiif "lo" accept',
    '\t\tip saddr . tcp sport @server4 ct state established,related accept',
    '\t\tip6 saddr . tcp sport @server6 ct state established,related accept',
    '\t\tip saddr @dns4 meta l4proto { tcp, udp } th sport 53 ct state established accept',
    '\t\tip6 saddr @dns6 meta l4proto { tcp, udp } th sport 53 ct state established accept',
    '\t\tudp sport 67 udp dport 68 accept',
    '\t\tudp sport 547 udp dport 546 accept',
    '\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, nd-redirect } accept',
    ...(sel
      ? [
          '\t\tip saddr @exceptnet4 accept',
          '\t\tip6 saddr @exceptnet6 accept',
          '\t\tmeta l4proto { tcp, udp } ip saddr . th sport @except4 ct state established,related accept',
          '\t\tmeta l4proto { tcp, udp } ip6 saddr . th sport @except6 ct state established,related accept',
        ]
      : []),
    '\t}',
    '\tchain output {',
    '\t\ttype filter hook output priority -10; policy drop;',
    '\t\toif "lo" accept',
    '\t\tip daddr . tcp dport @server4 accept',
    '\t\tip6 daddr . tcp dport @server6 accept',
    '\t\tip daddr @dns4 meta l4proto { tcp, udp } th dport 53 accept',
    '\t\tip6 daddr @dns6 meta l4proto { tcp, udp } th dport 53 accept',
    '\t\tudp sport 68 udp dport 67 accept',
    '\t\tudp sport 546 udp dport 547 accept',
    '\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit } accept',
    ...(sel
      ? [
          '\t\tip daddr @exceptnet4 accept',
          '\t\tip6 daddr @exceptnet6 accept',
          '\t\tmeta l4proto { tcp, udp } ip daddr . th dport @except4 accept',
          '\t\tmeta l4proto { tcp, udp } ip6 daddr . th dport @except6 accept',
        ]
      : []),
    '\t}',
    '\tchain forward {',
    '\t\ttype filter hook forward priority -10; policy drop;',
    '\t}',
    '}',
  ];
  return lines.join('\n') + '\n';
}

/** Rewrites the resolved sets in place (one transaction): the rules never disappear meanwhile. */
export function buildSetRefresh(plan: IsolationPlan): string {
  const el = setElements(plan);
  const lines: string[] = [];
  for (const name of ['server4', 'server6', 'dns4', 'dns6', 'except4', 'except6']) {
    lines.push(`flush set ${T} ${name}`);
    if (el[name].length > 0) lines.push(`add element ${T} ${name} { ${el[name].join(', ')} }`);
  }
  return lines.join('\n') + '\n';
}

/** Removes exactly our table; a no-op (not an error) when it is absent. */
export function buildReleaseScript(): string {
  return `table ${T}\ndelete table ${T}\n`;
}

/** `host:port` or `[v6]:port`; undefined when malformed. */
export function parseHostPort(s: string): { host: string; port: number } | undefined {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  if (s.startsWith('[') && isIP(m[1]) !== 6) return undefined;
  if (!s.startsWith('[') && !isIP(m[1]) && !/^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$/.test(m[1])) return undefined;
  return { host: m[1], port };
}

/** An IP or CIDR exception in nft's syntax; undefined when malformed. */
export function parseCidr(s: string): string | undefined {
  const [ip, prefix, extra] = s.split('/');
  const fam = isIP(ip);
  if (!fam || extra !== undefined) return undefined;
  if (prefix === undefined) return ip;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (fam === 4 ? 32 : 128)) return undefined;
  return `${ip}/${Number(prefix)}`;
}
