/**
 * The dispatch hub: which devices are connected to this process, what to send them when actions
 * change, and what to do with their requests (hello, heartbeat, accept, progress, finish, refuse).
 *
 * Fan-out across server processes: every action event is published on the notifier (PostgreSQL
 * NOTIFY) with this process's id; other processes re-read the action and deliver it if the device
 * is connected to them. The origin process delivers from the record in hand (no re-read).
 */
import { randomUUID } from 'node:crypto';
import { AGENT_METHODS, AGENT_PROTOCOL_VERSION, DEFAULT_AGENT_SETTINGS, REFUSAL_CODES, isFinalStatus, toMdeTimestamp, type ActionType, type FinishOutcome, type HelloParams, type HelloResult, type LogonReportParams, type SettingsPushParams, type AgentSettings } from '@cordon/protocol';
import { CommandReports, isDomainError, type ActionRecord, type ActionService, type AgentStore, type Clock, type LogonUserService, type MachinePatch, type MachineStore } from '@cordon/core';
import type { Notifier } from '@cordon/store';
import type { ActionBus, ActionEvent } from '../events/action-bus.js';
import type { ActionSigner } from './action-signer.js';
import { AgentRequestError, type AgentChannelHandler, type AgentConnection } from './agent-channel.js';
import { checkAgentParams } from './agent-message-validation.js';
import { contained } from './contain.js';

export const ACTIONS_CHANNEL = 'cordon_actions';

export interface HubLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export interface DispatchHubDeps {
  actions: ActionService;
  machines: MachineStore;
  agents: AgentStore;
  signer: ActionSigner;
  notifier: Notifier;
  clock: Clock;
  log: HubLogger;
  runTimeoutMs: Readonly<Record<ActionType, number>>;
  heartbeatIntervalMs: number;
  /**
   * Least time between two lastSeen writes of one machine (default: half the heartbeat interval).
   * With thousands of devices, writing every heartbeat would spend the database on liveness.
   */
  lastSeenWriteEveryMs?: number;
  /** Tenant settings pushed to agents in the hello answer. */
  settingsFor?: (tenantId: string) => Promise<AgentSettings>;
  /** Public URLs of the live server processes, advertised with the settings (default: none). */
  serverUrls?: () => readonly string[];
  /** Where other processes' action changes are republished for this process's listeners (live UI). */
  bus?: Pick<ActionBus, 'publishRemote' | 'wantsRemote'>;
  /** Stores `agent/logons` reports; without it they are refused as MethodNotFound. */
  logonUsers?: Pick<LogonUserService, 'record'>;
}

interface FanoutMessage {
  o: string; // origin process
  k: ActionEvent['kind'];
  t: string; // tenant
  i: string; // action id
  m: string; // machine id
}

export class DispatchHub implements AgentChannelHandler {
  readonly #deps: DispatchHubDeps;
  readonly #origin = randomUUID();
  readonly #byMachine = new Map<string, Set<AgentConnection>>();
  /** When we last wrote lastSeen per machine: heartbeats are cheap, writes are throttled. */
  readonly #lastSeenWrite = new Map<string, number>();
  /** Issue 5: live response command reports, merged into commands[] one at a time per action. */
  readonly #reports: CommandReports;

  constructor(deps: DispatchHubDeps) {
    this.#deps = deps;
    this.#reports = new CommandReports(deps.actions);
  }

  /** Subscribes to the notifier; call once before serving. */
  async start(): Promise<void> {
    await this.#deps.notifier.subscribe(ACTIONS_CHANNEL, contained(this.#deps.log, 'action fan-out', (payload: string) => this.#onRemote(payload)));
    // LISTEN was down for a while: we may have missed actions, so every local device catches up.
    this.#deps.notifier.onResync(
      contained(this.#deps.log, 'catch-up after resync', () => {
        for (const conns of this.#byMachine.values()) for (const c of conns) void this.#catchUp(c);
      }),
    );
  }

  // --- Issue 4: tenant settings pushed to connected agents when they change. -------------------

  /** Subscribes to settings changes (payload: tenant id, from any process); call once with start(). */
  async startSettingsPush(channel: string): Promise<void> {
    await this.#deps.notifier.subscribe(channel, contained(this.#deps.log, 'settings push', (tenantId: string) => this.pushSettings(tenantId)));
  }

  /** Sends the tenant's current settings to every device of the tenant connected to this process. */
  async pushSettings(tenantId: string): Promise<number> {
    const targets: AgentConnection[] = [];
    for (const conns of this.#byMachine.values()) for (const c of conns) if (c.device.tenantId === tenantId) targets.push(c);
    if (targets.length === 0 || !this.#deps.settingsFor) return 0;
    try {
      const params: SettingsPushParams = { settings: await this.#deps.settingsFor(tenantId), serverUrls: this.#serverUrls() };
      for (const c of targets) c.send({ method: AGENT_METHODS.settings.method, params });
      return targets.length;
    } catch (err) {
      this.#deps.log.error({ err, tenantId }, 'settings push failed');
      return 0;
    }
  }
  /** Sends settings to every connected device: the set of live server processes changed. */
  async pushSettingsToAll(): Promise<void> {
    const tenants = new Set<string>();
    for (const conns of this.#byMachine.values()) for (const c of conns) tenants.add(c.device.tenantId);
    for (const tenantId of tenants) await this.pushSettings(tenantId);
  }

  #serverUrls(): string[] {
    return [...(this.#deps.serverUrls?.() ?? [])];
  }
  // --- end issue 4 --------------------------------------------------------------------------

  get connectionCount(): number {
    let n = 0;
    for (const s of this.#byMachine.values()) n += s.size;
    return n;
  }

  isConnected(machineId: string): boolean {
    return (this.#byMachine.get(machineId)?.size ?? 0) > 0;
  }

  /** The bus listener: deliver locally, then tell the other processes. */
  onActionEvent(event: ActionEvent): void {
    this.#deliver(event.kind, event.action);
    const msg: FanoutMessage = { o: this.#origin, k: event.kind, t: event.action.tenantId, i: event.action.id, m: event.action.machineId };
    this.#deps.notifier.notify(ACTIONS_CHANNEL, JSON.stringify(msg)).catch((err: unknown) => this.#deps.log.error({ err }, 'action fan-out notify failed'));
  }

  attach(conn: AgentConnection): void {
    let set = this.#byMachine.get(conn.device.machineId);
    if (!set) this.#byMachine.set(conn.device.machineId, (set = new Set()));
    set.add(conn);
  }

  detach(conn: AgentConnection): void {
    const set = this.#byMachine.get(conn.device.machineId);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.#byMachine.delete(conn.device.machineId);
  }

  closeAll(reason: string): void {
    for (const set of this.#byMachine.values()) for (const c of set) c.close(reason);
  }

  async handle(conn: AgentConnection, method: string, params: unknown): Promise<unknown> {
    const { tenantId, machineId } = conn.device;
    const p = (params ?? {}) as Record<string, unknown>;
    try {
      checkAgentParams(method, params);
      switch (method) {
        case AGENT_METHODS.hello.method: {
          const hello = p as unknown as HelloParams;
          if (typeof hello.protocolVersion !== 'number' || hello.protocolVersion > AGENT_PROTOCOL_VERSION) {
            throw new AgentRequestError('UnsupportedProtocol', `server speaks agent protocol ${AGENT_PROTOCOL_VERSION}`);
          }
          await this.#deps.machines.update(tenantId, machineId, { ...deviceInfoPatch(hello), ...this.#seen(machineId, true) });
          // Catch up after the answer is on its way, so the agent is ready for dispatches.
          setImmediate(contained(this.#deps.log, 'catch-up', () => this.#catchUp(conn)));
          const settings = (await this.#deps.settingsFor?.(tenantId)) ?? DEFAULT_AGENT_SETTINGS;
          return { heartbeatIntervalMs: this.#deps.heartbeatIntervalMs, settings, serverUrls: this.#serverUrls() } satisfies HelloResult;
        }
        case AGENT_METHODS.heartbeat.method: {
          const patch = this.#seen(machineId, false);
          if (patch) await this.#deps.machines.update(tenantId, machineId, patch);
          return { ok: true };
        }
        case AGENT_METHODS.logons.method: {
          if (!this.#deps.logonUsers) throw new AgentRequestError('MethodNotFound', `unknown method ${method}`);
          await this.#deps.logonUsers.record(tenantId, machineId, (params as LogonReportParams).users);
          return { ok: true };
        }
        case AGENT_METHODS.accept.method:
          return await this.#statusOf(() => this.#deps.actions.accept(tenantId, str(p.actionId), machineId), tenantId, str(p.actionId), false);
        case AGENT_METHODS.progress.method: {
          const update = (p.update ?? {}) as { commands?: unknown[]; result?: Record<string, unknown> };
          const a = await this.#reports.progress(tenantId, str(p.actionId), machineId, update);
          return { status: a.status };
        }
        case AGENT_METHODS.finish.method: {
          const outcome = p.outcome as FinishOutcome;
          if (!outcome || (outcome.status !== 'Succeeded' && outcome.status !== 'Failed')) throw new AgentRequestError('InvalidRequestBody', 'outcome.status must be Succeeded or Failed');
          return await this.#statusOf(
            async () => {
              const result = await this.#reports.beforeFinish(tenantId, str(p.actionId), machineId, outcome.result);
              return await this.#deps.actions.finish(
                tenantId,
                str(p.actionId),
                machineId,
                outcome.status === 'Succeeded'
                  ? { status: 'Succeeded', ...(result ? { result } : {}) }
                  : { status: 'Failed', errorMessage: String(outcome.errorMessage ?? 'Failed'), ...(outcome.errorHResult !== undefined ? { errorHResult: outcome.errorHResult } : {}), ...(result ? { result } : {}) },
              );
            },
            tenantId,
            str(p.actionId),
            true,
          );
        }
        case AGENT_METHODS.refuse.method: {
          const code = (REFUSAL_CODES as readonly string[]).includes(String(p.code)) ? String(p.code) : 'Refused';
          this.#deps.log.warn({ machineId, actionId: p.actionId, code, reason: p.message }, 'agent refused an action');
          return await this.#statusOf(
            () => this.#deps.actions.finish(tenantId, str(p.actionId), machineId, { status: 'Failed', errorMessage: `Agent refused the action (${code}): ${String(p.message ?? '')}` }),
            tenantId,
            str(p.actionId),
            true,
          );
        }
        default:
          throw new AgentRequestError('MethodNotFound', `unknown method ${method}`);
      }
    } catch (err) {
      if (err instanceof AgentRequestError) throw err;
      if (isDomainError(err)) throw new AgentRequestError(err.code, err.message);
      this.#deps.log.error({ err, method, machineId }, 'agent request failed');
      throw new AgentRequestError('InternalError', 'internal error');
    }
  }

  /**
   * Runs a transition; when it loses the race (the action already moved on), answers with the
   * status the server now holds instead of an error, when `ackFinal`: a finish racing a cancel is
   * acknowledged so the agent stops retrying, and exactly one final status stands.
   */
  async #statusOf(run: () => Promise<ActionRecord>, tenantId: string, id: string, ackFinal: boolean): Promise<{ status: string }> {
    try {
      return { status: (await run()).status };
    } catch (err) {
      if (isDomainError(err) && (err.code === 'ActionAlreadyCompleted' || err.code === 'BadRequest')) {
        const current = await this.#deps.actions.get(tenantId, id).catch(() => undefined);
        if (current && (ackFinal ? isFinalStatus(current.status) : true)) return { status: current.status };
      }
      throw err;
    }
  }

  async #onRemote(payload: string): Promise<void> {
    let msg: FanoutMessage;
    try {
      msg = JSON.parse(payload) as FanoutMessage;
    } catch {
      return;
    }
    // NOTIFY payloads are ours, but anyone with database access can send one on the channel.
    if (typeof msg !== 'object' || msg === null || typeof msg.i !== 'string' || typeof msg.t !== 'string' || typeof msg.m !== 'string') return;
    if (msg.o === this.#origin) return;
    const local = this.isConnected(msg.m);
    // Read the action only when someone here needs it: a device connected here, or a live UI.
    if (!local && !this.#deps.bus?.wantsRemote) return;
    try {
      const action = await this.#deps.actions.get(msg.t, msg.i);
      if (local) this.#deliver(msg.k, action);
      this.#deps.bus?.publishRemote({ kind: msg.k, action });
    } catch (err) {
      this.#deps.log.error({ err, actionId: msg.i }, 'could not load a fanned-out action');
    }
  }

  #deliver(kind: ActionEvent['kind'], action: ActionRecord): void {
    const conns = this.#byMachine.get(action.machineId);
    if (!conns || conns.size === 0) return;
    if (action.status === 'Pending' && kind === 'created') {
      const msg = { method: AGENT_METHODS.dispatch.method, params: { action: this.#sign(action) } };
      for (const c of conns) c.send(msg);
    } else if (action.status === 'Cancelled' || action.status === 'TimeOut') {
      const msg = { method: AGENT_METHODS.cancel.method, params: { actionId: action.id, reason: action.status } };
      for (const c of conns) c.send(msg);
    } else if (action.type === 'Offboard' && action.status === 'Succeeded') {
      // Not at once: this event fires before the agent's finish request is answered, and the
      // agent must get that answer to know it may delete its identity. Its credential is already
      // refused for new connections by then.
      const closing = [...conns];
      setTimeout(
        contained(this.#deps.log, 'closing offboarded connections', () => {
          for (const c of closing) c.close('offboarded');
        }),
        1000,
      ).unref();
    }
  }

  async #catchUp(conn: AgentConnection): Promise<void> {
    try {
      const open = await this.#deps.actions.listOpenForMachine(conn.device.tenantId, conn.device.machineId);
      const now = toMdeTimestamp(this.#deps.clock.now());
      for (const action of open) {
        // Past its expiry but not reaped yet: the reaper makes it TimeOut; sending it would only
        // have the agent refuse it (and turn a TimeOut into a Failed).
        if (action.status === 'Pending' && action.expirationDateTimeUtc <= now) continue;
        conn.send({ method: AGENT_METHODS.dispatch.method, params: { action: this.#sign(action) } });
      }
    } catch (err) {
      this.#deps.log.error({ err, machineId: conn.device.machineId }, 'catch-up failed');
    }
  }

  #sign(action: ActionRecord) {
    const parameters: Record<string, unknown> = { ...action.parameters };
    if (action.type === 'LiveResponse') parameters.Commands = action.commands.map((c) => c.command);
    return this.#deps.signer.sign({
      id: action.id,
      machineId: action.machineId,
      type: action.type,
      parameters,
      expiresAt: action.expirationDateTimeUtc,
      runTimeoutMs: this.#deps.runTimeoutMs[action.type],
      createdAt: action.creationDateTimeUtc,
    });
  }

  /** lastSeen/health patch: always on hello, at most every heartbeat interval otherwise. */
  #seen(machineId: string, force: boolean): MachinePatch | undefined {
    const now = this.#deps.clock.now();
    const last = this.#lastSeenWrite.get(machineId) ?? 0;
    if (!force && now - last < (this.#deps.lastSeenWriteEveryMs ?? this.#deps.heartbeatIntervalMs / 2)) return undefined;
    this.#lastSeenWrite.set(machineId, now);
    return { lastSeen: toMdeTimestamp(now), healthStatus: 'Active' };
  }
}

function str(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw new AgentRequestError('InvalidRequestBody', 'actionId must be a string');
  return v;
}

function deviceInfoPatch(h: HelloParams): MachinePatch {
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
