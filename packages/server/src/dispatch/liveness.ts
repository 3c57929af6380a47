/**
 * The machine fields a hello reports, capped before they are stored, and which of them differ from
 * the stored machine. The lastSeen/health writes are last-seen-batcher.ts's.
 */
import { isDeepStrictEqual } from 'node:util';
import type { HelloParams } from '@cordon/protocol';
import type { MachinePatch, MachineRecord } from '@cordon/core';

/** The machine fields a hello reports, each capped to what the machine record keeps. */
export function deviceInfoPatch(h: HelloParams): MachinePatch {
  return {
    computerDnsName: String(h.computerDnsName).slice(0, 255),
    osPlatform: String(h.osPlatform).slice(0, 64),
    osVersion: h.osVersion ?? null,
    osArchitecture: String(h.osArchitecture ?? 'Unknown'),
    version: h.version ?? null,
    agentVersion: String(h.agentVersion).slice(0, 64),
    lastIpAddress: h.lastIpAddress ?? null,
    ipAddresses: Array.isArray(h.ipAddresses) ? h.ipAddresses.slice(0, 64) : [],
    capabilities: Array.isArray(h.capabilities) ? h.capabilities.map(String).slice(0, 64) : [],
    // An agent that does not report its signature sources leaves what is known (checked in hello).
    ...(h.avSignatureSources !== undefined ? { avSignatureSources: [...h.avSignatureSources] } : {}),
  };
}

/** The fields of `patch` that differ from `stored`; undefined when none do (nothing to write). */
export function changedDeviceInfo(stored: MachineRecord, patch: MachinePatch): MachinePatch | undefined {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!isDeepStrictEqual(stored[key as keyof MachinePatch], value)) changed[key] = value;
  }
  return Object.keys(changed).length > 0 ? (changed as MachinePatch) : undefined;
}
