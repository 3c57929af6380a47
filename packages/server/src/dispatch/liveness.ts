/**
 * Liveness of connected devices: the lastSeen/health writes of hellos and heartbeats (throttled),
 * and the machine fields a hello reports, capped before they are stored.
 */
import { toMdeTimestamp, type HelloParams } from '@cordon/protocol';
import type { Clock, MachinePatch } from '@cordon/core';

export class LastSeenThrottle {
  readonly #clock: Clock;
  readonly #everyMs: number;
  /** When we last wrote lastSeen per machine: heartbeats are cheap, writes are throttled. */
  readonly #lastWrite = new Map<string, number>();

  /** `everyMs`: least time between two lastSeen writes of one machine. */
  constructor(clock: Clock, everyMs: number) {
    this.#clock = clock;
    this.#everyMs = everyMs;
  }

  /** lastSeen/health patch: always when `force` (hello), at most every `everyMs` otherwise. */
  seen(machineId: string, force: boolean): MachinePatch | undefined {
    const now = this.#clock.now();
    const last = this.#lastWrite.get(machineId) ?? 0;
    if (!force && now - last < this.#everyMs) return undefined;
    this.#lastWrite.set(machineId, now);
    return { lastSeen: toMdeTimestamp(now), healthStatus: 'Active' };
  }
}

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
