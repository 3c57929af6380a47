/**
 * Keeps this process registered in the store with its public URL and knows every live process's
 * URL. Agents get that list (hello answer and settings push) and keep each of those addresses
 * reachable when isolated, so a device behind a load balancer is never cut off from a node it may
 * be sent to. A process that dies drops out once its registration expires.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock, ServerRegistryStore } from '@cordon/core';
import { every } from './every.js';

/** How often a process refreshes its registration and re-reads the others'. */
export const SERVER_HEARTBEAT_MS = 15_000;
/** A registration not refreshed for this long is no longer live (several missed heartbeats). */
export const SERVER_REGISTRATION_TTL_MS = 4 * SERVER_HEARTBEAT_MS;

export interface ServerRegistry {
  /** The live public URLs, this process's included, as of the last refresh (sorted). */
  urls(): readonly string[];
  /** Heartbeats and re-reads the live list; calls `onChange` when it changed. */
  refresh(): Promise<void>;
  /** Stops heartbeating and removes this process's registration. */
  stop(): Promise<void>;
}

export interface ServerRegistryDeps {
  servers: ServerRegistryStore;
  clock: Clock;
  publicUrl: string;
  log: Pick<FastifyBaseLogger, 'error' | 'warn'>;
  /** Called with the new list when a process appeared or went away. */
  onChange?: (urls: readonly string[]) => void;
  /** Default SERVER_HEARTBEAT_MS; 0 = no timer (the caller calls refresh()). */
  intervalMs?: number;
}

export async function startServerRegistry(deps: ServerRegistryDeps): Promise<ServerRegistry> {
  const processId = randomUUID();
  const intervalMs = deps.intervalMs ?? SERVER_HEARTBEAT_MS;
  let urls: readonly string[] = [];
  const refresh = async () => {
    const now = deps.clock.now();
    await deps.servers.heartbeat(processId, deps.publicUrl, now + SERVER_REGISTRATION_TTL_MS);
    await deps.servers.prune(now);
    const live = await deps.servers.liveUrls(now);
    if (live.join('\n') === urls.join('\n')) return;
    urls = live;
    // Access tokens name the public URL of the process that issued them as their issuer, and every
    // process accepts only its own: say so, rather than leave clients with 401s from some nodes.
    const others = live.filter((u) => u !== deps.publicUrl);
    if (others.length > 0) {
      deps.log.warn({ publicUrl: deps.publicUrl, otherPublicUrls: others }, 'server processes on this database have other public URLs: access tokens issued by one are refused by the others (give every node the same CORDON_PUBLIC_URL, docs/multi-node.md)');
    }
    deps.onChange?.(urls);
  };
  await refresh();
  const job = intervalMs > 0 ? every(intervalMs, 'server registry heartbeat', deps.log, refresh) : undefined;
  return {
    urls: () => urls,
    refresh,
    async stop() {
      job?.stop();
      await deps.servers.remove(processId);
    },
  };
}
