/**
 * The tenant's response settings. The TypeBox schema (protocol) checks shape and sizes;
 * this checks meaning: CIDRs and host:port parse, hash lines are ClamAV `.hsb` lines, YARA texts
 * stay under the total cap, paths are absolute. Written by hand (no IP library in core: it has no
 * runtime dependencies besides protocol) and kept small.
 */
import { DEFAULT_TENANT_SETTINGS, REMEDIATION_LEVELS, SETTINGS_LIMITS, toMdeTimestamp, type TenantSettings, type TenantSettingsBody } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { TenantSettingsStore } from '../ports/tenant-settings-store.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const SHA1 = /^[0-9a-f]{40}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const MD5 = /^[0-9a-f]{32}$/i;
/** ClamAV signature names: printable, no `:` (the field separator). */
const SIG_NAME = /^[A-Za-z0-9._\-+/!@#$%^&()[\]{}=~]{1,128}$/;

/** IPv6 text form (with `::` compression and an optional embedded IPv4 tail). */
export function isIpv6(text: string): boolean {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  const parts = text.split('::');
  if (parts.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(parts[0]!);
  const tail = parts.length === 2 ? groups(parts[1]!) : [];
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    if (i === all.length - 1 && g.includes('.')) {
      if (!IPV4.test(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count += 1;
    else return false;
  }
  return parts.length === 2 ? count < 8 : count === 8;
}

/** `10.0.0.0/8`, `192.168.1.5`, `fd00::/8`, `::1`: an address with an optional prefix length. */
export function isCidr(text: string): boolean {
  const [addr, prefix, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const v4 = IPV4.test(addr);
  if (!v4 && !isIpv6(addr)) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

/** `host:port`, `1.2.3.4:443`, `[fd00::1]:8443`. */
export function isHostPort(text: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!m) return false;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return false;
  if (m[1] !== undefined) return isIpv6(m[1]);
  return IPV4.test(m[2]!) || HOSTNAME.test(m[2]!);
}

/**
 * A ClamAV hash signature line ClamAV loads: `hash:size:Name[:minFlevel]`. Size `*` (any size, with
 * SHA-1/SHA-256) needs a minimum engine level of 73 (`sha1:*:Name:73`), and size 0 is refused:
 * ClamAV rejects the whole database over either, so the agent would have to drop such a line.
 */
export function isHashSignature(line: string): boolean {
  const parts = line.split(':');
  if (parts.length !== 3 && parts.length !== 4) return false;
  const [h, size, name, flevel] = parts as [string, string, string, string | undefined];
  const strong = SHA1.test(h) || SHA256.test(h);
  if (!strong && !MD5.test(h)) return false;
  if (flevel !== undefined && !/^\d{1,3}$/.test(flevel)) return false;
  if (size === '*') {
    if (!strong || Number(flevel ?? 0) < 73) return false;
  } else if (!/^\d{1,15}$/.test(size) || Number(size) === 0) return false;
  return SIG_NAME.test(name);
}

const isAbsolutePath = (p: string) => p.startsWith('/') && !p.includes('\0') && !p.split('/').includes('..');

/**
 * A scan exclusion in the one form agents compare paths in: repeated `/`, `.` segments and a
 * trailing `/` removed. Undefined when it is not absolute, has a NUL or a `..` segment (which would
 * name a different place depending on symlinks), or is `/` (which would exclude every file).
 */
export function normaliseScanExclusion(path: string): string | undefined {
  if (!isAbsolutePath(path)) return undefined;
  const normal = '/' + path.split('/').filter((seg) => seg !== '' && seg !== '.').join('/');
  return normal === '/' ? undefined : normal;
}

/** Checks meaning and normalises; throws InvalidInput naming the first bad entry. */
export function validateTenantSettings(body: TenantSettingsBody, now: string): TenantSettings {
  const bad = (field: string, value: string, why: string): never => {
    throw new DomainError('InvalidInput', `Invalid ${field} entry '${value.slice(0, 100)}': ${why}`);
  };
  const isolationExceptions = dedupe(body.isolationExceptions ?? []);
  for (const e of isolationExceptions) if (!isCidr(e) && !isHostPort(e)) bad('isolationExceptions', e, 'expected a CIDR (10.0.0.0/8) or host:port');
  const executionAllowList = dedupe(body.executionAllowList ?? []);
  for (const e of executionAllowList) if (!SHA256.test(e) && !isAbsolutePath(e)) bad('executionAllowList', e, 'expected an absolute path or a sha256');
  const hashes = dedupe((body.scanSignatures?.hashes ?? []).map((h) => h.trim()));
  for (const h of hashes) if (!isHashSignature(h)) bad('scanSignatures.hashes', h, 'expected a ClamAV hash line sha256:size:Name, sha1:size:Name, or sha256:*:Name:73 for any size');
  const yara = body.scanSignatures?.yara ?? [];
  let total = 0;
  for (const rule of yara) {
    total += rule.length;
    if (!/\brule\s+[A-Za-z_]\w*/.test(rule)) bad('scanSignatures.yara', rule, 'no `rule <name>` found');
    if (rule.includes('\0')) bad('scanSignatures.yara', rule, 'contains a NUL byte');
  }
  if (total > SETTINGS_LIMITS.yaraTotalBytes) throw new DomainError('InvalidInput', `YARA rules total ${total} characters; the limit is ${SETTINGS_LIMITS.yaraTotalBytes}`);
  const quarantineSearchPaths = dedupe(body.quarantineSearchPaths ?? []);
  for (const p of quarantineSearchPaths) if (!isAbsolutePath(p)) bad('quarantineSearchPaths', p, 'expected an absolute path');
  const scanExclusions = dedupe(
    (body.scanExclusions ?? []).map((p) => normaliseScanExclusion(p) ?? bad('scanExclusions', p, 'expected an absolute directory or file path other than / (no NUL, no ..)')),
  );
  // The schema already limits the values; checked again for callers that skip the HTTP schema.
  const remediationLevel = body.remediationLevel ?? DEFAULT_TENANT_SETTINGS.remediationLevel;
  if (!REMEDIATION_LEVELS.includes(remediationLevel)) bad('remediationLevel', String(remediationLevel), `expected one of ${REMEDIATION_LEVELS.join(', ')}`);
  return {
    isolationExceptions,
    executionAllowList: executionAllowList.map((e) => (SHA256.test(e) ? e.toLowerCase() : e)),
    scanSignatures: { hashes, yara },
    scanCpuPercent: body.scanCpuPercent ?? DEFAULT_TENANT_SETTINGS.scanCpuPercent,
    quarantineSearchPaths,
    remediationLevel,
    scanExclusions,
    lastUpdateTime: now,
  };
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** Read and replace a tenant's settings. Replacing notifies `onChange` (the push to agents). */
export class TenantSettingsService {
  readonly #store: TenantSettingsStore;
  readonly #clock: Clock;
  readonly #onChange: (tenantId: string) => void;

  constructor(deps: { settings: TenantSettingsStore; clock: Clock; onChange?: (tenantId: string) => void }) {
    this.#store = deps.settings;
    this.#clock = deps.clock;
    this.#onChange = deps.onChange ?? (() => {});
  }

  async get(tenantId: string): Promise<TenantSettings> {
    const stored = await this.#store.get(tenantId);
    // Settings stored before a field existed read as its default (remediationLevel came later).
    return stored ? { ...stored, remediationLevel: stored.remediationLevel ?? DEFAULT_TENANT_SETTINGS.remediationLevel } : structuredCloneSettings(DEFAULT_TENANT_SETTINGS);
  }

  async replace(tenantId: string, body: TenantSettingsBody): Promise<TenantSettings> {
    const settings = validateTenantSettings(body, toMdeTimestamp(this.#clock.now()));
    await this.#store.put(tenantId, settings);
    this.#onChange(tenantId);
    return settings;
  }
}

function structuredCloneSettings(s: TenantSettings): TenantSettings {
  return { ...s, isolationExceptions: [...s.isolationExceptions], executionAllowList: [...s.executionAllowList], scanSignatures: { hashes: [...s.scanSignatures.hashes], yara: [...s.scanSignatures.yara] }, quarantineSearchPaths: [...s.quarantineSearchPaths], scanExclusions: [...s.scanExclusions] };
}

// The conversion lives beside the AgentSettings type in protocol, so server and agent share it.
export { toAgentSettings } from '@cordon/protocol';
