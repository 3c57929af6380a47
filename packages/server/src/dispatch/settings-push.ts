/**
 * Tenant settings pushed to connected agents: when a tenant's settings change (a notifier message
 * carrying the tenant id, from any process) and when the set of live server processes changes.
 */
import { AGENT_METHODS, DEFAULT_AGENT_SETTINGS, type AgentSettings, type ParamsOf } from '@cordon/protocol';
import type { Notifier } from '@cordon/store';
import type { AgentConnection } from './agent-channel.js';
import { contained } from '../contain.js';
import type { HubLogger } from './dispatch-hub.js';

export interface SettingsPushDeps {
  notifier: Notifier;
  log: HubLogger;
  /** The devices connected to this process. */
  connections(): Iterable<AgentConnection>;
  /** Tenant settings for agents; without it, hellos get the defaults and nothing is pushed. */
  settingsFor?: ((tenantId: string) => Promise<AgentSettings>) | undefined;
  /** Public URLs of the live server processes (default: none). */
  serverUrls?: (() => readonly string[]) | undefined;
}

export class SettingsPush {
  readonly #deps: SettingsPushDeps;

  constructor(deps: SettingsPushDeps) {
    this.#deps = deps;
  }

  /** Subscribes to settings changes on `channel` (payload: the tenant id); call once with start(). */
  async start(channel: string): Promise<void> {
    await this.#deps.notifier.subscribe(channel, contained(this.#deps.log, 'settings push', (tenantId: string) => this.push(tenantId)));
  }

  /** What a hello answer carries for the tenant. */
  async settingsOf(tenantId: string): Promise<AgentSettings> {
    return (await this.#deps.settingsFor?.(tenantId)) ?? DEFAULT_AGENT_SETTINGS;
  }

  serverUrls(): string[] {
    return [...(this.#deps.serverUrls?.() ?? [])];
  }

  /** Sends the tenant's current settings to every device of the tenant connected here; returns how many. */
  async push(tenantId: string): Promise<number> {
    const targets: AgentConnection[] = [];
    for (const c of this.#deps.connections()) if (c.device.tenantId === tenantId) targets.push(c);
    if (targets.length === 0 || !this.#deps.settingsFor) return 0;
    try {
      const params: ParamsOf<'settings'> = { settings: await this.#deps.settingsFor(tenantId), serverUrls: this.serverUrls() };
      for (const c of targets) c.send({ method: AGENT_METHODS.settings.method, params });
      return targets.length;
    } catch (err) {
      this.#deps.log.error({ err, tenantId }, 'settings push failed');
      return 0;
    }
  }

  /** Sends settings to every connected device: the set of live server processes changed. */
  async pushToAll(): Promise<void> {
    const tenants = new Set<string>();
    for (const c of this.#deps.connections()) tenants.add(c.device.tenantId);
    for (const tenantId of tenants) await this.push(tenantId);
  }
}
