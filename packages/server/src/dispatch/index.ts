/**
 * createDispatcher(deps): everything that connects devices to actions, ready for app.ts to wire:
 * the action signer, device authentication, the hub (subscribed to the ActionBus and to the
 * cross-process notifier), and the Fastify plugin serving the agent endpoints (routes/agent.ts).
 */
import type { ActionType, AgentSettings } from '@cordon/protocol';
import type { ActionService, AgentStore, Clock, IdentityStore, LogonUserService, MachineStore, RequestNonceStore } from '@cordon/core';
import type { Notifier } from '@cordon/store';
import type { ActionBus } from '../events/action-bus.js';
import { loadActionSigner, type ActionSigner } from './action-signer.js';
import { DeviceAuthenticator } from './device-auth.js';
import { DispatchHub, type HubLogger, type LiveConsoleRelay } from './dispatch-hub.js';

export interface DispatcherDeps {
  actions: ActionService;
  machines: MachineStore;
  agents: AgentStore;
  /** The replay cache of device-signed requests, shared by every process. */
  nonces: RequestNonceStore;
  identity: IdentityStore;
  notifier: Notifier;
  bus: ActionBus;
  clock: Clock;
  log: HubLogger;
  runTimeoutMs: Readonly<Record<ActionType, number>>;
  /** How often agents send heartbeats (ms). */
  heartbeatIntervalMs: number;
  /** Tenant settings for agents (hello answer and pushes), and the notifier channel announcing changes. */
  settingsFor?: (tenantId: string) => Promise<AgentSettings>;
  settingsChannel?: string;
  /** Where `agent/logons` reports go. */
  logonUsers?: LogonUserService;
  /** Public URLs of the live server processes, advertised to agents with the settings. */
  serverUrls?: () => readonly string[];
  /** Console sessions: where devices' live/output and live/done go. */
  liveConsole?: LiveConsoleRelay;
}

export interface Dispatcher {
  hub: DispatchHub;
  signer: ActionSigner;
  auth: DeviceAuthenticator;
  deps: DispatcherDeps;
  close(): void;
}

export async function createDispatcher(deps: DispatcherDeps): Promise<Dispatcher> {
  const signer = await loadActionSigner(deps.identity, deps.clock);
  const auth = new DeviceAuthenticator({ agents: deps.agents, nonces: deps.nonces, clock: deps.clock, onError: (err) => deps.log.error({ err }, 'pruning expired request nonces failed') });
  const hub = new DispatchHub({
    actions: deps.actions,
    machines: deps.machines,
    signer,
    notifier: deps.notifier,
    clock: deps.clock,
    log: deps.log,
    runTimeoutMs: deps.runTimeoutMs,
    heartbeatIntervalMs: deps.heartbeatIntervalMs,
    ...(deps.settingsFor ? { settingsFor: deps.settingsFor } : {}),
    ...(deps.logonUsers ? { logonUsers: deps.logonUsers } : {}),
    ...(deps.serverUrls ? { serverUrls: deps.serverUrls } : {}),
    ...(deps.liveConsole ? { liveConsole: deps.liveConsole } : {}),
    bus: deps.bus,
  });
  await hub.start();
  if (deps.settingsChannel) await hub.startSettingsPush(deps.settingsChannel);
  const unsubscribe = deps.bus.subscribe((event) => hub.onActionEvent(event));
  return {
    hub,
    signer,
    auth,
    deps,
    close() {
      unsubscribe();
      hub.closeAll('server closing');
    },
  };
}

export { DispatchHub, ACTIONS_CHANNEL } from './dispatch-hub.js';
export { DeviceAuthenticator } from './device-auth.js';
export { createOnboardingPackage, certFingerprint, enrollDevice } from './enrollment.js';
export { loadActionSigner, type ActionSigner } from './action-signer.js';
export type { AgentConnection } from './agent-channel.js';
