/**
 * LiveConsoleLink for the server: console messages reach a device through the dispatch hub of
 * whichever process holds its connection, and a session's readers (SSE streams, an opener waiting
 * for the probe) are woken in every process, the same way action changes fan out (fanout.ts): a
 * small NOTIFY naming what changed, and the receivers re-read it from the database.
 */
import { randomUUID } from 'node:crypto';
import { AGENT_METHODS, type LiveCommandFields, type LiveCommandParams, type LiveConsoleCommandName, type RpcNotification } from '@cordon/protocol';
import type { LiveCommandRecord, LiveConsoleLink, LiveDeviceMessage, MachineStore } from '@cordon/core';
import type { Notifier } from '@cordon/store';
import { contained } from '../contain.js';

/** Signs a console command with the action key (dispatch's ActionSigner). */
export interface LiveCommandSigner {
  signLiveCommand(fields: LiveCommandFields): LiveCommandParams;
}

export interface LiveLinkLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export const LIVE_DEVICE_CHANNEL = 'cordon_live_device';
export const LIVE_EVENTS_CHANNEL = 'cordon_live_events';

/** What the link needs of this process's hub. */
export interface LocalDevices {
  isConnected(machineId: string): boolean;
  sendTo(machineId: string, message: RpcNotification): void;
}

/** NOTIFY payloads, short keys (PostgreSQL caps a payload at 8000 bytes). */
interface DeviceNote {
  o: string; // origin process
  t: string; // tenant
  m: string; // machine
  k: LiveDeviceMessage['kind'];
  s: string; // session
  c?: number; // command id
}
interface EventsNote {
  o: string;
  t: string;
  s: string;
  q: number; // last stored seq
}

export interface LiveLinkDeps {
  notifier: Notifier;
  machines: Pick<MachineStore, 'get'>;
  /** Re-reads a command another process asked this one to deliver. */
  commandOf(tenantId: string, sessionId: string, commandId: number): Promise<LiveCommandRecord | undefined>;
  /** More than one server process may hold devices (PostgreSQL): a device not connected here may be connected there. */
  multiProcess: boolean;
  log: LiveLinkLogger;
}

export class LiveLink implements LiveConsoleLink {
  readonly #deps: LiveLinkDeps;
  readonly #origin = randomUUID();
  readonly #listeners = new Map<string, Set<() => void>>();
  #local: LocalDevices | undefined;
  #signer: LiveCommandSigner | undefined;

  constructor(deps: LiveLinkDeps) {
    this.#deps = deps;
  }

  /** Subscribes to the other processes' notes; call once before serving. */
  async start(): Promise<void> {
    await this.#deps.notifier.subscribe(LIVE_DEVICE_CHANNEL, contained(this.#deps.log, 'live console fan-out', (p: string) => this.#onDeviceNote(p)));
    await this.#deps.notifier.subscribe(LIVE_EVENTS_CHANNEL, (p: string) => this.#onEventsNote(p));
  }

  /** Connects the link to this process's devices (the dispatcher is built after the services). */
  bind(local: LocalDevices, signer: LiveCommandSigner): void {
    this.#local = local;
    this.#signer = signer;
  }

  async isConnected(tenantId: string, machineId: string): Promise<boolean> {
    if (this.#local?.isConnected(machineId)) return true;
    if (!this.#deps.multiProcess) return false;
    // Held by another process, as far as liveness tells: the opening probe settles it.
    return (await this.#deps.machines.get(tenantId, machineId))?.healthStatus === 'Active';
  }

  async send(tenantId: string, machineId: string, message: LiveDeviceMessage): Promise<void> {
    this.#deliver(machineId, message);
    if (!this.#deps.multiProcess) return;
    const note: DeviceNote = { o: this.#origin, t: tenantId, m: machineId, k: message.kind, s: message.kind === 'command' ? message.fields.sessionId : message.sessionId };
    if (message.kind === 'command') note.c = message.fields.commandId;
    else if (message.kind === 'cancel') note.c = message.commandId;
    await this.#deps.notifier.notify(LIVE_DEVICE_CHANNEL, JSON.stringify(note)).catch((err: unknown) => this.#deps.log.error({ err }, 'live console notify failed'));
  }

  announce(tenantId: string, sessionId: string, seq: number): void {
    this.#wake(sessionId);
    if (!this.#deps.multiProcess) return;
    const note: EventsNote = { o: this.#origin, t: tenantId, s: sessionId, q: seq };
    this.#deps.notifier.notify(LIVE_EVENTS_CHANNEL, JSON.stringify(note)).catch((err: unknown) => this.#deps.log.error({ err }, 'live console notify failed'));
  }

  nextAnnounce(sessionId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.subscribe(sessionId, () => {
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  /** Calls `listener` whenever events of the session are stored (by any process); returns the unsubscribe. */
  subscribe(sessionId: string, listener: () => void): () => void {
    let set = this.#listeners.get(sessionId);
    if (!set) this.#listeners.set(sessionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(sessionId) === set) this.#listeners.delete(sessionId);
    };
  }

  #wake(sessionId: string): void {
    for (const listener of [...(this.#listeners.get(sessionId) ?? [])]) listener();
  }

  #deliver(machineId: string, message: LiveDeviceMessage): void {
    const local = this.#local;
    if (!local?.isConnected(machineId)) return;
    if (message.kind === 'command') {
      if (!this.#signer) return;
      local.sendTo(machineId, { method: AGENT_METHODS.liveCommand.method, params: this.#signer.signLiveCommand(message.fields) });
    } else if (message.kind === 'cancel') {
      local.sendTo(machineId, { method: AGENT_METHODS.liveCancel.method, params: { sessionId: message.sessionId, commandId: message.commandId } });
    } else {
      local.sendTo(machineId, { method: AGENT_METHODS.liveClose.method, params: { sessionId: message.sessionId } });
    }
  }

  async #onDeviceNote(payload: string): Promise<void> {
    const note = parseNote<DeviceNote>(payload);
    // NOTIFY payloads are ours, but anyone with database access can send one on the channel.
    if (!note || note.o === this.#origin || typeof note.m !== 'string' || typeof note.s !== 'string' || !this.#local?.isConnected(note.m)) return;
    if (note.k === 'close') return this.#deliver(note.m, { kind: 'close', sessionId: note.s });
    if (typeof note.c !== 'number') return;
    if (note.k === 'cancel') return this.#deliver(note.m, { kind: 'cancel', sessionId: note.s, commandId: note.c });
    // The command is re-read (a NOTIFY cannot carry a 4 KiB argv safely) and signed here.
    const cmd = await this.#deps.commandOf(note.t, note.s, note.c);
    if (!cmd || cmd.status !== 'Running') return;
    this.#deliver(note.m, { kind: 'command', fields: { sessionId: cmd.sessionId, commandId: cmd.id, machineId: note.m, command: cmd.command as LiveConsoleCommandName, argv: cmd.argv, cwd: cmd.cwd, actionId: cmd.machineActionId, timeoutMs: cmd.timeoutMs, expiresAt: cmd.expiresAt } });
  }

  #onEventsNote(payload: string): void {
    const note = parseNote<EventsNote>(payload);
    if (!note || note.o === this.#origin || typeof note.s !== 'string') return;
    this.#wake(note.s);
  }
}

function parseNote<T>(payload: string): T | undefined {
  try {
    const v = JSON.parse(payload) as unknown;
    return typeof v === 'object' && v !== null ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}
