/**
 * The dispatch hub: which devices are connected to this process, what to send them when actions
 * change, and the agent's requests, relayed to core through a method table keyed by AGENT_METHODS.
 * Cross-process fan-out (fanout.ts), settings push (settings-push.ts), liveness (liveness.ts) and
 * live response report folding (core's CommandReports) are modules of their own; what a finished
 * action does to its machine is core's (written with the final status).
 */
import { ACTION_CATALOG, AGENT_METHODS, AGENT_PROTOCOL_VERSION, REFUSAL_CODES, isFinalStatus, toMdeTimestamp, type ActionType, type AgentSettings, type LiveDoneParams, type LiveOutputParams, type ResultOf, type RpcNotification } from '@cordon/protocol';
import { CommandReports, LIVE_RESPONSE_SESSION_SOURCE, isDomainError, type ActionRecord, type ActionService, type Clock, type LogonUserService, type MachineStore } from '@cordon/core';
import type { Notifier } from '@cordon/store';
import type { ActionBus, ActionEvent } from '../events/action-bus.js';
import type { ActionSigner } from './action-signer.js';
import { AgentRequestError, type AgentChannelHandler, type AgentConnection } from './agent-channel.js';
import { agentRequestKey, parseAgentParams, type AgentRequestKey, type AgentRequestParams } from './agent-message-validation.js';
import { contained } from '../contain.js';
import { ActionFanout } from './fanout.js';
import { LastSeenBatcher } from './last-seen-batcher.js';
import { changedDeviceInfo, deviceInfoPatch } from './liveness.js';
import { SettingsPush } from './settings-push.js';

export { ACTIONS_CHANNEL, type FanoutMessage } from './fanout.js';

export interface HubLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export interface DispatchHubDeps {
  actions: ActionService;
  machines: MachineStore;
  signer: ActionSigner;
  notifier: Notifier;
  clock: Clock;
  log: HubLogger;
  runTimeoutMs: Readonly<Record<ActionType, number>>;
  heartbeatIntervalMs: number;
  /**
   * Longest a heartbeat's lastSeen waits to be written with the others (default: a quarter of the
   * heartbeat interval). With thousands of devices, a write per heartbeat would spend the database
   * on liveness.
   */
  lastSeenFlushEveryMs?: number;
  /** Tenant settings pushed to agents in the hello answer. */
  settingsFor?: (tenantId: string) => Promise<AgentSettings>;
  /** Public URLs of the live server processes, advertised with the settings (default: none). */
  serverUrls?: () => readonly string[];
  /** Where other processes' action changes are republished for this process's listeners (live UI). */
  bus?: Pick<ActionBus, 'publishRemote' | 'wantsRemote'>;
  /** Stores `agent/logons` reports; without it they are refused as MethodNotFound. */
  logonUsers?: Pick<LogonUserService, 'record'>;
  /** Console sessions: takes a device's `live/output` and `live/done`; without it they are refused as MethodNotFound. */
  liveConsole?: LiveConsoleRelay;
}

/** Where a device's console output goes (the live session service); only the device's own sessions. */
export interface LiveConsoleRelay {
  output(device: { tenantId: string; machineId: string }, params: LiveOutputParams): Promise<void>;
  done(device: { tenantId: string; machineId: string }, params: LiveDoneParams): Promise<void>;
  /** The device's last connection to this process went away (its console sessions end). */
  disconnected?(device: { tenantId: string; machineId: string }): void;
  /**
   * The device said hello. An agent forgets its console sessions when a connection ends, so any
   * session still Active for it (its server was killed, or stopped before the close was written)
   * is closed now rather than blocking the device's next session until the idle timeout.
   */
  connected?(device: { tenantId: string; machineId: string }): Promise<void>;
}

/** One handler per agent -> server request: params as their schema accepted them, the protocol's result type. */
type MethodTable = { readonly [K in AgentRequestKey]: (conn: AgentConnection, params: AgentRequestParams<K>) => Promise<ResultOf<K>> };

export class DispatchHub implements AgentChannelHandler {
  readonly #deps: DispatchHubDeps;
  readonly #byMachine = new Map<string, Set<AgentConnection>>();
  readonly #liveness: LastSeenBatcher;
  readonly #reports: CommandReports;
  readonly #fanout: ActionFanout;
  readonly #settings: SettingsPush;
  readonly #methods: MethodTable;

  constructor(deps: DispatchHubDeps) {
    this.#deps = deps;
    this.#liveness = new LastSeenBatcher({ machines: deps.machines, clock: deps.clock, log: deps.log, flushEveryMs: deps.lastSeenFlushEveryMs ?? deps.heartbeatIntervalMs / 4 });
    this.#reports = new CommandReports(deps.actions);
    this.#fanout = new ActionFanout({
      notifier: deps.notifier,
      actions: deps.actions,
      log: deps.log,
      bus: deps.bus,
      isConnected: (machineId) => this.isConnected(machineId),
      deliver: (kind, action) => this.#deliver(kind, action),
      onResync: () => {
        for (const c of this.#connections()) void this.#catchUp(c);
      },
    });
    this.#settings = new SettingsPush({ notifier: deps.notifier, log: deps.log, connections: () => this.#connections(), settingsFor: deps.settingsFor, serverUrls: deps.serverUrls });
    this.#methods = this.#methodTable();
  }

  /** Subscribes to the cross-process fan-out; call once before serving. */
  async start(): Promise<void> {
    await this.#fanout.start();
  }

  /** Subscribes to settings changes (payload: tenant id, from any process); call once with start(). */
  async startSettingsPush(channel: string): Promise<void> {
    await this.#settings.start(channel);
  }

  /** Sends the tenant's current settings to every device of the tenant connected to this process. */
  pushSettings(tenantId: string): Promise<number> {
    return this.#settings.push(tenantId);
  }

  /** Sends settings to every connected device: the set of live server processes changed. */
  pushSettingsToAll(): Promise<void> {
    return this.#settings.pushToAll();
  }

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
    this.#fanout.publish(event);
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
    if (set.size === 0) {
      this.#byMachine.delete(conn.device.machineId);
      this.#deps.liveConsole?.disconnected?.({ tenantId: conn.device.tenantId, machineId: conn.device.machineId });
    }
  }

  /** Sends a notification to every connection of the machine on this process (console messages). */
  sendTo(machineId: string, message: RpcNotification): void {
    for (const c of this.#byMachine.get(machineId) ?? []) c.send(message);
  }

  closeAll(reason: string): void {
    for (const c of this.#connections()) c.close(reason);
  }

  /** Writes the lastSeen still pending (server close): a clean shutdown loses no sighting. */
  flushLiveness(): Promise<void> {
    return this.#liveness.close();
  }

  async handle(conn: AgentConnection, method: string, params: unknown): Promise<unknown> {
    try {
      const key = agentRequestKey(method);
      if (!key) throw new AgentRequestError('MethodNotFound', `unknown method ${method}`);
      return await this.#relay(key, conn, params);
    } catch (err) {
      if (err instanceof AgentRequestError) throw err;
      if (isDomainError(err)) throw new AgentRequestError(err.code, err.message);
      this.#deps.log.error({ err, method, machineId: conn.device.machineId }, 'agent request failed');
      throw new AgentRequestError('InternalError', 'internal error');
    }
  }

  /** Validates the params against the method's schema, then runs its handler with them typed. */
  #relay<K extends AgentRequestKey>(key: K, conn: AgentConnection, params: unknown): Promise<ResultOf<K>> {
    const handler: MethodTable[K] = this.#methods[key];
    return handler(conn, parseAgentParams(key, params));
  }

  #methodTable(): MethodTable {
    const { actions, machines } = this.#deps;
    return {
      hello: async (conn, hello) => {
        const { tenantId, machineId } = conn.device;
        if (hello.protocolVersion > AGENT_PROTOCOL_VERSION) throw new AgentRequestError('UnsupportedProtocol', `server speaks agent protocol ${AGENT_PROTOCOL_VERSION}`);
        // Device info is written only when it changed (a read costs less than a write
        // transaction); liveness goes with the next batch, written before the answer.
        const stored = await machines.get(tenantId, machineId);
        const changed = stored && changedDeviceInfo(stored, deviceInfoPatch(hello));
        if (changed) await machines.update(tenantId, machineId, changed);
        await this.#liveness.seenNow(tenantId, machineId);
        await this.#deps.liveConsole?.connected?.(conn.device).catch((err: unknown) => this.#deps.log.error({ err, machineId }, 'could not close the console sessions the device no longer holds'));
        // Catch up after the answer is on its way, so the agent is ready for dispatches.
        setImmediate(contained(this.#deps.log, 'catch-up', () => this.#catchUp(conn)));
        return { heartbeatIntervalMs: this.#deps.heartbeatIntervalMs, settings: await this.#settings.settingsOf(tenantId), serverUrls: this.#settings.serverUrls() };
      },
      heartbeat: async (conn) => {
        this.#liveness.seen(conn.device.tenantId, conn.device.machineId);
        return { ok: true };
      },
      logons: async (conn, report) => {
        if (!this.#deps.logonUsers) throw new AgentRequestError('MethodNotFound', `unknown method ${AGENT_METHODS.logons.method}`);
        await this.#deps.logonUsers.record(conn.device.tenantId, conn.device.machineId, report.users);
        return { ok: true };
      },
      liveOutput: async ({ device }, params) => {
        if (!this.#deps.liveConsole) throw new AgentRequestError('MethodNotFound', `unknown method ${AGENT_METHODS.liveOutput.method}`);
        await this.#deps.liveConsole.output(device, params);
        return { ok: true };
      },
      liveDone: async ({ device }, params) => {
        if (!this.#deps.liveConsole) throw new AgentRequestError('MethodNotFound', `unknown method ${AGENT_METHODS.liveDone.method}`);
        await this.#deps.liveConsole.done(device, params);
        return { ok: true };
      },
      accept: ({ device }, { actionId }) => this.#statusOf(() => actions.accept(device.tenantId, actionId, device.machineId), device.tenantId, actionId, false),
      progress: async ({ device }, { actionId, update }) => {
        // The whole update: a live response command report is its top-level fields.
        const a = await this.#reports.progress(device.tenantId, actionId, device.machineId, update);
        return { status: a.status };
      },
      finish: ({ device }, { actionId, outcome }) =>
        this.#statusOf(
          async () => {
            const result = await this.#reports.beforeFinish(device.tenantId, actionId, device.machineId, outcome.result);
            return actions.finish(
              device.tenantId,
              actionId,
              device.machineId,
              outcome.status === 'Succeeded'
                ? { status: 'Succeeded', ...(result ? { result } : {}) }
                : { status: 'Failed', errorMessage: outcome.errorMessage, ...(outcome.errorHResult !== undefined ? { errorHResult: outcome.errorHResult } : {}), ...(result ? { result } : {}) },
            );
          },
          device.tenantId,
          actionId,
          true,
        ),
      refuse: ({ device }, { actionId, code, message }) => {
        // A newer agent's code is recorded as `Refused`.
        const known = (REFUSAL_CODES as readonly string[]).includes(code) ? code : 'Refused';
        this.#deps.log.warn({ machineId: device.machineId, actionId, code: known, reason: message }, 'agent refused an action');
        return this.#statusOf(
          () => actions.finish(device.tenantId, actionId, device.machineId, { status: 'Failed', errorMessage: `Agent refused the action (${known}): ${message}` }),
          device.tenantId,
          actionId,
          true,
        );
      },
    };
  }

  *#connections(): Iterable<AgentConnection> {
    for (const set of this.#byMachine.values()) yield* set;
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

  #deliver(kind: ActionEvent['kind'], action: ActionRecord): void {
    const conns = this.#byMachine.get(action.machineId);
    if (!conns || conns.size === 0) return;
    if (action.status === 'Pending' && kind === 'created') {
      const msg = { method: AGENT_METHODS.dispatch.method, params: { action: this.#sign(action) } };
      for (const c of conns) c.send(msg);
    } else if (action.status === 'Cancelled' || action.status === 'TimeOut') {
      const msg = { method: AGENT_METHODS.cancel.method, params: { actionId: action.id, reason: action.status } };
      for (const c of conns) c.send(msg);
    } else if ('revokesAgent' in ACTION_CATALOG[action.type] && action.status === 'Succeeded') {
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
        // A console command's record: its session carries it (live/command), never a dispatch.
        if (action.requestSource === LIVE_RESPONSE_SESSION_SOURCE) continue;
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
}
