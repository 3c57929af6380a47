/**
 * Wires dispatch into a built app: the dispatcher (signer, hub, bus + notifier subscriptions) and
 * the agent endpoints. Called by main.ts (and tests) after buildApp, before listen.
 */
import { DEFAULT_RUN_TIMEOUTS_MS, toAgentSettings, type Clock } from '@cordon/core';
import { SETTINGS_CHANNEL } from './events/channels.js';
import type { Store } from '@cordon/store';
import type { CordonApp } from './app.js';
import { agentRoutes } from './routes/agent.js';
import { startServerRegistry, type ServerRegistry } from './jobs/server-registry.js';
import { createDispatcher, type Dispatcher } from './dispatch/index.js';
import { liveConsoleRelay } from './dispatch/live-relay.js';

export interface WireDispatchOptions {
  built: CordonApp;
  store: Store;
  clock: Clock;
  heartbeatIntervalMs: number;
  /** Silence after which a machine reads Inactive: lastSeen is written often enough for it. */
  inactiveAfterMs?: number;
  pollWaitMs?: number;
}

export async function wireDispatch(options: WireDispatchOptions): Promise<Dispatcher & { servers: ServerRegistry }> {
  const { built, store } = options;
  // Registered before devices can connect, so the first hello already lists this process.
  let onServersChanged = () => {};
  const registry = await startServerRegistry({ servers: store.servers, clock: options.clock, publicUrl: built.config.publicUrl, log: built.app.log, onChange: () => onServersChanged() });
  built.app.addHook('onClose', async () => {
    await registry.stop().catch((err: unknown) => built.app.log.error({ err }, 'could not remove this process from the server registry'));
  });
  const dispatcher = await createDispatcher({
    actions: built.actions,
    machines: store.machines,
    agents: store.agents,
    nonces: store.nonces,
    identity: store.identity,
    notifier: store.notifier,
    bus: built.bus,
    clock: options.clock,
    log: built.app.log,
    runTimeoutMs: DEFAULT_RUN_TIMEOUTS_MS,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    // The tenant's response settings, in the hello answer and pushed on change.
    settingsFor: async (tenantId) => toAgentSettings(await built.services.settings.get(tenantId)),
    settingsChannel: SETTINGS_CHANNEL,
    logonUsers: built.logonUsers,
    serverUrls: registry.urls,
    liveConsole: liveConsoleRelay(built.services.liveSessions, built.app.log),
  });
  built.services.liveLink.bind(dispatcher.hub, dispatcher.signer);
  onServersChanged = () => void dispatcher.hub.pushSettingsToAll();
  // Heartbeats' lastSeen waits in memory for its batch: written before the store goes away.
  built.app.addHook('onClose', async () => {
    await dispatcher.hub.flushLiveness().catch((err: unknown) => built.app.log.error({ err }, 'could not write the lastSeen of connected devices'));
  });
  await built.app.register(agentRoutes, { dispatcher, ...(options.pollWaitMs !== undefined ? { pollWaitMs: options.pollWaitMs } : {}) });
  return { ...dispatcher, servers: registry };
}
