/** What the agent reports about its host (read-only OS facts; nothing is changed). */
import { arch, hostname, networkInterfaces, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { CORDON_VERSION, type DeviceInfo, type MachineIpAddress } from '@cordon/protocol';

export const AGENT_VERSION = CORDON_VERSION;

export function readDeviceInfo(overrides: Partial<DeviceInfo> = {}): DeviceInfo {
  const addresses: MachineIpAddress[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      // MDE spells MACs upper-case with dashes (mde-api.md §5 ipAddresses).
      addresses.push({ ipAddress: a.address, macAddress: a.mac.toUpperCase().replaceAll(':', '-'), operationalStatus: 'Up', type: name.startsWith('wl') ? 'Wireless80211' : 'Ethernet' });
    }
  }
  const v4 = addresses.find((a) => !a.ipAddress.includes(':'));
  return {
    computerDnsName: hostname().toLowerCase(),
    osPlatform: 'Linux',
    osVersion: osVersion(),
    osArchitecture: arch() === 'x64' || arch() === 'arm64' ? '64-bit' : '32-bit',
    version: release(),
    agentVersion: AGENT_VERSION,
    lastIpAddress: v4?.ipAddress ?? addresses[0]?.ipAddress ?? null,
    ipAddresses: addresses,
    ...overrides,
  };
}

function osVersion(): string | null {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^VERSION_ID="?([^"\n]*)"?/m.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}
