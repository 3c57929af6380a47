/**
 * Wires dispatch into a built app: the dispatcher (signer, hub, bus + notifier subscriptions) and
 * the agent endpoints. Called by main.ts (and tests) after buildApp, before listen.
 */
import { DEFAULT_RUN_TIMEOUTS_MS, type Clock } from '@cordon/core';
import type { Store } from '@cordon/store';
import type { CordonApp } from '../app.js';
import { agentRoutes } from '../routes/agent.js';
import { createDispatcher, type Dispatcher } from './index.js';

export interface WireDispatchOptions {
  built: CordonApp;
  store: Store;
  clock: Clock;
  heartbeatIntervalMs: number;
  pollWaitMs?: number;
}

export async function wireDispatch(options: WireDispatchOptions): Promise<Dispatcher> {
  const { built, store } = options;
  const dispatcher = await createDispatcher({
    actions: built.actions,
    machines: store.machines,
    agents: store.agents,
    identity: store.identity,
    notifier: store.notifier,
    bus: built.bus,
    clock: options.clock,
    log: built.app.log,
    runTimeoutMs: DEFAULT_RUN_TIMEOUTS_MS,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
  });
  await built.app.register(agentRoutes, { dispatcher, ...(options.pollWaitMs !== undefined ? { pollWaitMs: options.pollWaitMs } : {}) });
  return dispatcher;
}
