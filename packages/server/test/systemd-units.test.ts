/**
 * The systemd units in deploy/systemd keep their hardening: the server unprivileged with
 * no capabilities and a read-only system; the agent root but bounded to the capabilities its
 * platform layer needs, each justified in the unit's comments. `systemd-analyze verify` and the
 * offline security score run too where systemd is installed (skipped with a printed reason when it
 * is not; a failure under CORDON_REQUIRE_PRIVILEGED=1).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipUnlessAble } from '../../../e2e/support/require-privileged.js';

const dir = fileURLToPath(new URL('../../../deploy/systemd/', import.meta.url));
const hasSystemd = existsSync('/usr/bin/systemd-analyze') || existsSync('/bin/systemd-analyze');
const skipAnalyze = skipUnlessAble('systemd-analyze checks of deploy/systemd', hasSystemd ? undefined : "systemd-analyze not installed (Debian's systemd package)");

interface Unit {
  text: string;
  /** Values of each key in [Service], in order (a key may repeat). */
  service: Map<string, string[]>;
}

function parse(name: string): Unit {
  const text = readFileSync(`${dir}${name}`, 'utf8');
  const service = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    if (section !== 'Service' || eq < 0) continue;
    const key = line.slice(0, eq);
    service.set(key, [...(service.get(key) ?? []), line.slice(eq + 1)]);
  }
  return { text, service };
}

const one = (u: Unit, key: string) => {
  const values = u.service.get(key);
  expect(values, `${key} is set`).toBeDefined();
  return values!.at(-1)!;
};

describe('cordon-server.service', () => {
  const u = parse('cordon-server.service');

  it('should run as an unprivileged user that writes only /var/lib/cordon', () => {
    expect(one(u, 'User')).toBe('cordon');
    expect(one(u, 'DynamicUser')).toBe('yes');
    expect(one(u, 'StateDirectory')).toBe('cordon');
    expect(one(u, 'ReadWritePaths')).toBe('/var/lib/cordon');
    expect(one(u, 'ProtectSystem')).toBe('strict');
    expect(one(u, 'ProtectHome')).toBe('yes');
    expect(one(u, 'PrivateTmp')).toBe('yes');
    expect(one(u, 'PrivateDevices')).toBe('yes');
    expect(one(u, 'UMask')).toBe('0077');
  });

  it('should hold no capability and gain none', () => {
    expect(one(u, 'NoNewPrivileges')).toBe('yes');
    expect(one(u, 'CapabilityBoundingSet')).toBe('');
    expect(one(u, 'AmbientCapabilities')).toBe('');
    for (const key of ['ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups', 'ProtectClock', 'RestrictNamespaces', 'RestrictSUIDSGID', 'LockPersonality', 'RestrictRealtime']) {
      expect(one(u, key), key).toBe('yes');
    }
    expect(one(u, 'RestrictAddressFamilies').split(' ').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    expect(u.service.get('SystemCallFilter')).toEqual(expect.arrayContaining(['@system-service', expect.stringMatching(/^~@privileged /)]));
    // V8's JIT needs writable+executable pages: the option must stay off (the unit says why).
    expect(u.service.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it.skipIf(skipAnalyze)('should pass systemd-analyze verify and score as well hardened', () => {
    execFileSync('systemd-analyze', ['verify', '--man=no', `${dir}cordon-server.service`], { stdio: 'pipe' });
    const out = execFileSync('systemd-analyze', ['security', '--offline=true', `${dir}cordon-server.service`], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for .*: ([\d.]+)/.exec(out)?.[1]);
    expect(score).toBeLessThanOrEqual(2);
  });
});

describe('cordon-agent.service', () => {
  const u = parse('cordon-agent.service');
  const CAPS = ['CAP_NET_ADMIN', 'CAP_SYS_ADMIN', 'CAP_KILL', 'CAP_SYS_PTRACE', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_CHOWN'];

  it('should bound root to the capabilities isolation, restriction, quarantine and restore need', () => {
    expect(one(u, 'User')).toBe('root');
    expect(one(u, 'CapabilityBoundingSet').split(/\s+/).sort()).toEqual([...CAPS].sort());
    expect(one(u, 'AmbientCapabilities')).toBe('');
    expect(one(u, 'NoNewPrivileges')).toBe('yes');
  });

  it('should justify every capability it keeps in a comment naming the platform code', () => {
    for (const cap of CAPS) expect(u.text, cap).toMatch(new RegExp(`^#\\s+${cap}\\s+\\S.*`, 'm'));
  });

  it('should keep the kernel protections and netlink for nft, and let the exec guard outlive restarts', () => {
    for (const key of ['ProtectKernelModules', 'ProtectKernelLogs', 'ProtectClock', 'LockPersonality', 'RestrictRealtime']) expect(one(u, key), key).toBe('yes');
    expect(one(u, 'RestrictAddressFamilies').split(' ')).toContain('AF_NETLINK');
    expect(one(u, 'KillMode')).toBe('process');
    expect(one(u, 'StateDirectory')).toBe('cordon-agent');
    expect(one(u, 'UMask')).toBe('0077');
  });

  it.skipIf(skipAnalyze)('should pass systemd-analyze verify', () => {
    execFileSync('systemd-analyze', ['verify', '--man=no', `${dir}cordon-agent.service`], { stdio: 'pipe' });
  });
});
