/**
 * Live response console sessions (a Cordon extension; mde-api.md §7 describes MDE's portal
 * console): open with a probe the device must answer, run commands (the server answers its own,
 * the device runs the rest, signed, argv already split), stream their output into the session's
 * stored event stream, record the commands that change a device as LiveResponse actions, and close
 * on request, idleness, disconnect or offboarding. Rules live here; storage and transport are ports.
 */
import { CONSOLE_COMMAND_TYPE, LIVE_CONSOLE_COMMANDS, LIVE_CONSOLE_LIMITS, parseConsoleLine, toMdeTimestamp, type LiveCommandStatus, type LiveConsoleCommandName, type LiveDoneParams, type LiveOutputParams, type RecordedLiveResponseCommand, type LiveSessionState, type ParsedConsoleLine } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { ActionRecord } from '../ports/action-store.js';
import type { ActionResultStore } from '../ports/action-result-store.js';
import { commandSlot } from '../results/result-slots.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { LiveConsoleLink } from '../ports/live-console-link.js';
import type { LiveCommandRecord, LiveEventRecord, LiveSessionCloseReason, LiveSessionRecord, LiveSessionStore } from '../ports/live-session-store.js';
import type { MachineStore } from '../ports/machine-store.js';
import { LIVE_RESPONSE_SESSION_SOURCE, type ActionService } from '../actions/action-service.js';
import type { LibraryService } from '../library/library-service.js';
import { resolveMachineOrThrow } from '../machines/machine-lookup.js';
import { answerServerCommand } from './server-commands.js';
import { toWireLiveCommand, toWireLiveSession } from './live-session-wire.js';
import { utf8Length, cutToUtf8 } from './utf8.js';

/** Who runs console commands: tenant, the name recorded as requestor, and whether they hold "Live response advanced". */
export interface LiveConsoleCaller {
  tenantId: string;
  name: string;
  advanced: boolean;
}

export type LiveConsoleLimits = { readonly [K in keyof typeof LIVE_CONSOLE_LIMITS]: number };

export interface LiveSessionServiceDeps {
  sessions: LiveSessionStore;
  machines: MachineStore;
  actions: ActionService;
  library: Pick<LibraryService, 'list' | 'missing'>;
  link: LiveConsoleLink;
  clock: Clock;
  ids: IdGenerator;
  /** Where the device's getfile/collect upload landed (so the finished action references it and keeps it). */
  results?: Pick<ActionResultStore, 'listForAction'>;
  limits?: Partial<LiveConsoleLimits>;
}

/** The capability an agent lists in its hello when it runs console sessions. */
export const LIVE_CONSOLE_CAPABILITY = 'LiveConsole';
/** How long past its timeout a recorded command's action is left before the action reaper times it out. */
const ACTION_DEADLINE_MARGIN_MS = 60_000;
const CLOSE_MESSAGES: Record<LiveSessionCloseReason, string> = {
  ClosedByUser: 'The session was closed',
  IdleTimeout: 'The session was closed after 30 minutes without activity',
  DeviceDisconnected: 'The device disconnected',
  DeviceOffboarded: 'The device was offboarded',
};
const FINAL_ACTION_STATUS = { Completed: 'Succeeded', Failed: 'Failed', TimeOut: 'Failed', Cancelled: 'Cancelled' } as const;

export class LiveSessionService {
  readonly #d: LiveSessionServiceDeps;
  readonly #limits: LiveConsoleLimits;

  constructor(deps: LiveSessionServiceDeps) {
    this.#d = deps;
    this.#limits = { ...LIVE_CONSOLE_LIMITS, ...deps.limits };
  }

  /** Opens a session on a connected device; resolves once the device answered the opening probe. */
  async open(caller: LiveConsoleCaller, machineRef: string): Promise<LiveSessionRecord> {
    const machine = await resolveMachineOrThrow(this.#d.machines, caller.tenantId, machineRef);
    if (machine.onboardingStatus === 'Offboarded') throw new DomainError('DisallowedOperation', `Machine ${machine.id} is offboarded; it can no longer open a live response session`);
    if (!machine.capabilities.includes(LIVE_CONSOLE_CAPABILITY)) {
      throw new DomainError('OsPlatformNotSupported', `The agent of machine ${machine.id} (${machine.computerDnsName}) does not run live response console sessions (no ${LIVE_CONSOLE_CAPABILITY} capability); update the agent`);
    }
    if (!(await this.#d.link.isConnected(caller.tenantId, machine.id))) {
      throw new DomainError('DeviceNotConnected', `Machine ${machine.id} (${machine.computerDnsName}) is not connected; a live response session needs the device online`);
    }
    const counts = await this.#d.sessions.countActive(caller.tenantId, caller.name);
    if (counts.tenant >= this.#limits.sessionsPerTenant) throw new DomainError('TooManyRequests', `The tenant already has ${counts.tenant} live response sessions open, the maximum is ${this.#limits.sessionsPerTenant}; close one first`);
    if (counts.person >= this.#limits.sessionsPerPerson) throw new DomainError('TooManyRequests', `${caller.name} already has ${counts.person} live response sessions open, the maximum is ${this.#limits.sessionsPerPerson}; close one first`);
    const now = this.#now();
    const session: LiveSessionRecord = {
      tenantId: caller.tenantId,
      id: this.#d.ids.uuid(),
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      openedBy: caller.name,
      state: 'Active',
      currentDirectory: '/',
      trace: false,
      creationDateTimeUtc: now,
      lastActivityDateTimeUtc: now,
      closedDateTimeUtc: null,
      closeReason: null,
    };
    const opened = await this.#d.sessions.open(session);
    if (!opened.ok) {
      const who = opened.holder ? `by ${opened.holder.openedBy} (session ${opened.holder.id}, since ${opened.holder.creationDateTimeUtc})` : 'by someone else';
      throw new DomainError('ActiveRequestAlreadyExists', `Machine ${machine.id} already has a live response session open ${who}; one session per device`, { details: { holder: opened.holder?.openedBy } });
    }
    await this.#emit(session, [{ event: 'session', commandId: null, data: toWireLiveSession(session) }]);
    const probe = this.#newCommand(session, caller.name, 0, 'cd /', { command: 'cd', argv: ['/'], background: false, outputFormat: 'table' }, null);
    await this.#d.sessions.addCommand(probe);
    await this.#send(session, probe);
    const answered = await this.#awaitFinal(session, 0, this.#limits.openTimeoutMs);
    if (answered?.status !== 'Completed') {
      await this.#close(session, 'DeviceDisconnected');
      throw new DomainError('DeviceNotConnected', `Machine ${machine.id} (${machine.computerDnsName}) did not answer within ${this.#limits.openTimeoutMs / 1000} s${answered ? ` (${answered.errors.join('; ') || answered.status})` : ''}; the session was not opened`);
    }
    return (await this.#d.sessions.get(session.tenantId, session.id)) ?? session;
  }

  /** Runs one command line: answered by the server, or sent to the device (201 at once, output later). */
  async command(caller: LiveConsoleCaller, sessionId: string, commandLine: string): Promise<LiveCommandRecord> {
    const session = await this.#active(caller.tenantId, sessionId);
    const parsed = parseConsoleLine(commandLine);
    if (!parsed.ok) throw new DomainError('InvalidRequestBody', parsed.message);
    const line = parsed.line;
    const spec = LIVE_CONSOLE_COMMANDS[line.command];
    if (spec.level === 'advanced' && !caller.advanced) throw new DomainError('Forbidden', `'${line.command}' needs the Live response advanced role`);
    if (spec.runsOn === 'server') return this.#answer(caller, session, commandLine, line);
    const running = await this.#d.sessions.listCommands(session.tenantId, session.id, { status: 'Running' });
    if (running.length >= this.#limits.runningCommandsPerSession) {
      throw new DomainError('TooManyRequests', `${running.length} commands are already running in this session, the maximum is ${this.#limits.runningCommandsPerSession}; wait for one to finish or cancel one`);
    }
    if ((line.command === 'putfile' || line.command === 'run') && line.argv[0] !== undefined) {
      const missing = await this.#d.library.missing(session.tenantId, [line.argv[0]]);
      if (missing.length > 0) throw new DomainError('InvalidRequestBody', `Library file ${missing[0]} not found in the live response library; upload it first`);
    }
    const id = await this.#d.sessions.nextCommandId(session.tenantId, session.id);
    const action = spec.recordedAsAction ? await this.#recordAction(caller, session, line, commandLine, spec.timeoutMs) : null;
    const cmd = this.#newCommand(session, caller.name, id, commandLine, line, action?.id ?? null);
    await this.#d.sessions.addCommand(cmd);
    await this.#d.sessions.touch(session.tenantId, session.id, { lastActivityDateTimeUtc: cmd.startDateTimeUtc });
    await this.#emit(session, [{ event: 'command', commandId: id, data: toWireLiveCommand(cmd) }]);
    await this.#send(session, cmd);
    return cmd;
  }

  /** Asks the device to cancel a running command; its live/done (Cancelled) ends it. */
  async cancel(tenantId: string, sessionId: string, commandId: number): Promise<LiveCommandRecord> {
    const session = await this.get(tenantId, sessionId);
    const cmd = await this.getCommand(tenantId, sessionId, commandId);
    if (cmd.status !== 'Running') throw new DomainError('InvalidRequest', `Command ${commandId} is already ${cmd.status}; it can no longer be cancelled`);
    await this.#d.link.send(tenantId, session.machineId, { kind: 'cancel', sessionId, commandId });
    return cmd;
  }

  /** Closes a session (ClosedByUser); closing a closed one answers it as it is. */
  async close(tenantId: string, sessionId: string): Promise<LiveSessionRecord> {
    return this.#close(await this.get(tenantId, sessionId), 'ClosedByUser');
  }

  /** A device's `live/output`: the next chunk of a command's output (a re-sent chunk is dropped). */
  async recordOutput(device: { tenantId: string; machineId: string }, params: LiveOutputParams): Promise<void> {
    const { session, cmd } = await this.#ofDevice(device, params.sessionId, params.commandId);
    if (cmd.status !== 'Running' || params.seq < cmd.nextChunk) return;
    let text = params.text;
    let truncated = cmd.outputTruncated;
    if (!truncated && cmd.outputBytes + utf8Length(text) > this.#limits.outputBytesPerCommand) {
      text = `${cutToUtf8(text, this.#limits.outputBytesPerCommand - cmd.outputBytes)}\n[output cut: more than ${this.#limits.outputBytesPerCommand} bytes]\n`;
      truncated = true;
    } else if (truncated) {
      text = '';
    }
    const updated = await this.#d.sessions.updateCommand(device.tenantId, session.id, cmd.id, { status: ['Running'], nextChunk: cmd.nextChunk }, { nextChunk: params.seq + 1, outputBytes: cmd.outputBytes + utf8Length(text), outputTruncated: truncated });
    // Lost to a concurrent copy of the same chunk: that one is recorded.
    if (!updated || text === '') return;
    await this.#d.sessions.touch(device.tenantId, session.id, { lastActivityDateTimeUtc: this.#now() });
    await this.#emit(session, [{ event: 'output', commandId: cmd.id, data: { commandId: cmd.id, text } }]);
  }

  /** A device's `live/done`: the command's final status, written once, and its action finished. */
  async recordDone(device: { tenantId: string; machineId: string }, params: LiveDoneParams): Promise<void> {
    const { session, cmd } = await this.#ofDevice(device, params.sessionId, params.commandId);
    const now = this.#now();
    const final = await this.#d.sessions.updateCommand(device.tenantId, session.id, cmd.id, { status: ['Running'] }, {
      status: params.status,
      exitCode: params.exitCode,
      errors: params.errors,
      endDateTimeUtc: now,
      resultFile: params.resultFile ?? null,
    });
    if (!final) return;
    const events: Omit<LiveEventRecord, 'seq'>[] = [];
    if (cmd.id > 0) {
      if (params.table) events.push({ event: 'data', commandId: cmd.id, data: { commandId: cmd.id, ...params.table } });
      if (session.trace) events.push({ event: 'output', commandId: cmd.id, data: { commandId: cmd.id, text: `[trace] command ${cmd.id} ${params.status} after ${Date.parse(now) - Date.parse(cmd.startDateTimeUtc)} ms, ${params.outputChunks} output chunks\n` } });
      events.push({ event: 'command', commandId: cmd.id, data: toWireLiveCommand(final) });
    }
    const touched = await this.#d.sessions.touch(device.tenantId, session.id, { lastActivityDateTimeUtc: now, currentDirectory: params.cwd });
    if (touched && touched.currentDirectory !== session.currentDirectory) events.push({ event: 'session', commandId: null, data: toWireLiveSession(touched) });
    await this.#emit(session, events);
    if (final.machineActionId) {
      await this.#d.actions.finishConsoleCommand(device.tenantId, final.machineActionId, {
        status: FINAL_ACTION_STATUS[params.status],
        ...(params.status !== 'Completed' ? { errorMessage: params.errors.join('; ') || `The console command ended ${params.status}` } : {}),
        ...(params.resultFile ? { result: await this.#actionResult(device.tenantId, final.machineActionId, params.resultFile) } : {}),
      });
    }
  }

  /** Closes every session idle for the idle timeout (a command still running counts as activity). */
  async expireIdle(): Promise<LiveSessionRecord[]> {
    const idle = await this.#d.sessions.listIdle(toMdeTimestamp(this.#d.clock.now() - this.#limits.idleTimeoutMs));
    const closed: LiveSessionRecord[] = [];
    for (const s of idle) {
      if ((await this.#d.sessions.listCommands(s.tenantId, s.id, { status: 'Running' })).length > 0) continue;
      closed.push(await this.#close(s, 'IdleTimeout'));
    }
    return closed;
  }

  /** The device's last connection went away (or it was offboarded): its session closes, its running commands fail. */
  async deviceGone(tenantId: string, machineId: string, reason: 'DeviceDisconnected' | 'DeviceOffboarded'): Promise<LiveSessionRecord | undefined> {
    const active = await this.#d.sessions.activeOfMachine(tenantId, machineId);
    return active && this.#close(active, reason);
  }

  /** An action changed (any process): MDE's cancel of a recorded command cancels the command. */
  async onActionChanged(action: ActionRecord): Promise<void> {
    if (action.requestSource !== LIVE_RESPONSE_SESSION_SOURCE || action.status !== 'Cancelled') return;
    const cmd = await this.#d.sessions.commandOfAction(action.tenantId, action.id);
    if (cmd?.status !== 'Running') return;
    await this.#d.link.send(action.tenantId, action.machineId, { kind: 'cancel', sessionId: cmd.sessionId, commandId: cmd.id });
  }

  // ---- reads ----------------------------------------------------------------------------------

  async get(tenantId: string, id: string): Promise<LiveSessionRecord> {
    const s = await this.#d.sessions.get(tenantId, id);
    if (!s) throw new DomainError('ResourceNotFound', `Live response session ${id} was not found`);
    return s;
  }

  list(tenantId: string, filter: { machineId?: string; state?: LiveSessionState }): Promise<LiveSessionRecord[]> {
    return this.#d.sessions.list(tenantId, filter);
  }

  /** The session's commands, without its opening probe. */
  async listCommands(tenantId: string, sessionId: string): Promise<LiveCommandRecord[]> {
    await this.get(tenantId, sessionId);
    return (await this.#d.sessions.listCommands(tenantId, sessionId)).filter((c) => c.id > 0);
  }

  async getCommand(tenantId: string, sessionId: string, id: number): Promise<LiveCommandRecord> {
    const cmd = id > 0 ? await this.#d.sessions.getCommand(tenantId, sessionId, id) : undefined;
    if (!cmd) throw new DomainError('ResourceNotFound', `Command ${id} of live response session ${sessionId} was not found`);
    return cmd;
  }

  async outputOf(tenantId: string, sessionId: string, commandId: number): Promise<string> {
    await this.getCommand(tenantId, sessionId, commandId);
    return this.#outputText(tenantId, sessionId, commandId);
  }

  /** Stored events after `afterSeq` (SSE replay and resume). */
  async events(tenantId: string, sessionId: string, afterSeq: number, limit = 500): Promise<LiveEventRecord[]> {
    return this.#d.sessions.listEvents(tenantId, sessionId, afterSeq, limit);
  }

  /** The text transcript: who, when, every command line, its status, exit code, output or result file. */
  async transcript(tenantId: string, sessionId: string): Promise<string> {
    const s = await this.get(tenantId, sessionId);
    const lines = [
      `Live response session ${s.id} on machine ${s.machineId}${s.computerDnsName ? ` (${s.computerDnsName})` : ''}`,
      `Opened by ${s.openedBy} at ${s.creationDateTimeUtc}`,
      s.state === 'Closed' ? `Closed at ${s.closedDateTimeUtc} (${s.closeReason})` : `Active; current directory ${s.currentDirectory}`,
      '',
    ];
    for (const c of await this.listCommands(tenantId, sessionId)) {
      lines.push(`[${c.id}] ${c.startDateTimeUtc} ${c.requestor}> ${c.commandLine}`);
      lines.push(`    ${c.status}${c.exitCode !== null ? `, exit code ${c.exitCode}` : ''}${c.endDateTimeUtc ? `, ended ${c.endDateTimeUtc}` : ''}${c.machineActionId ? `, machine action ${c.machineActionId}` : ''}`);
      for (const e of c.errors) lines.push(`    error: ${e}`);
      if (c.resultFile) lines.push(`    result file ${c.resultFile.name} (${c.resultFile.size} bytes, sha256 ${c.resultFile.sha256}): GET /api/machineactions/${c.machineActionId}/GetLiveResponseResultDownloadLink(index=0)`);
      const out = await this.#outputText(tenantId, sessionId, c.id);
      if (out !== '') lines.push(out.endsWith('\n') ? out.slice(0, -1) : out);
      lines.push('');
    }
    return lines.join('\n');
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * The finished action's result: the uploaded blob of its one command, as a runliveresponse
   * action's executor reports it (`results[0]`), so the result link serves it and result clean-up keeps it.
   */
  async #actionResult(tenantId: string, actionId: string, file: NonNullable<LiveDoneParams['resultFile']>): Promise<Record<string, unknown>> {
    const slots = (await this.#d.results?.listForAction(tenantId, actionId)) ?? [];
    const blobId = slots.find((s) => s.slot === commandSlot(0))?.blobId;
    return blobId ? { results: [{ blobId, size: file.size, sha256: file.sha256, name: file.name }] } : { resultFile: file };
  }

  async #answer(caller: LiveConsoleCaller, session: LiveSessionRecord, commandLine: string, line: ParsedConsoleLine): Promise<LiveCommandRecord> {
    const answer = await answerServerCommand(line, {
      session,
      commands: () => this.listCommands(session.tenantId, session.id),
      outputOf: (id) => this.#outputText(session.tenantId, session.id, id),
      libraryFiles: () => this.#d.library.list(session.tenantId),
      setTrace: async (on) => {
        await this.#d.sessions.touch(session.tenantId, session.id, { trace: on });
      },
    });
    const id = await this.#d.sessions.nextCommandId(session.tenantId, session.id);
    const now = this.#now();
    const status: LiveCommandStatus = answer.ok ? 'Completed' : 'Failed';
    const cmd: LiveCommandRecord = { ...this.#newCommand(session, caller.name, id, commandLine, line, null), status, exitCode: answer.ok ? 0 : 1, errors: answer.ok ? [] : [answer.error], endDateTimeUtc: now };
    const output = answer.ok ? answer.output : `${answer.error}\n`;
    cmd.outputBytes = utf8Length(output);
    await this.#d.sessions.addCommand(cmd);
    await this.#d.sessions.touch(session.tenantId, session.id, { lastActivityDateTimeUtc: now });
    const events: Omit<LiveEventRecord, 'seq'>[] = [{ event: 'command', commandId: id, data: toWireLiveCommand(cmd) }];
    if (output !== '') events.push({ event: 'output', commandId: id, data: { commandId: id, text: output } });
    await this.#emit(session, events);
    return cmd;
  }

  #recordAction(caller: LiveConsoleCaller, session: LiveSessionRecord, line: ParsedConsoleLine, commandLine: string, timeoutMs: number): Promise<ActionRecord> {
    return this.#d.actions.recordConsoleCommand({ tenantId: caller.tenantId, name: caller.name }, { id: session.machineId, computerDnsName: session.computerDnsName }, actionCommandOf(line, commandLine), timeoutMs + ACTION_DEADLINE_MARGIN_MS);
  }

  #newCommand(session: LiveSessionRecord, requestor: string, id: number, commandLine: string, line: Pick<ParsedConsoleLine, 'command' | 'argv' | 'background' | 'outputFormat'>, actionId: string | null): LiveCommandRecord {
    const nowMs = this.#d.clock.now();
    const timeoutMs = LIVE_CONSOLE_COMMANDS[line.command].timeoutMs;
    return {
      tenantId: session.tenantId,
      sessionId: session.id,
      id,
      commandLine,
      command: line.command,
      argv: line.argv,
      cwd: session.currentDirectory,
      requestor,
      background: line.background,
      outputFormat: line.outputFormat,
      status: 'Running',
      exitCode: null,
      errors: [],
      startDateTimeUtc: toMdeTimestamp(nowMs),
      endDateTimeUtc: null,
      // The device refuses a command it receives this late (a dispatch stuck in a queue).
      expiresAt: toMdeTimestamp(nowMs + this.#limits.openTimeoutMs * 6),
      timeoutMs,
      machineActionId: actionId,
      resultFile: null,
      outputTruncated: false,
      outputBytes: 0,
      nextChunk: 0,
    };
  }

  #send(session: LiveSessionRecord, cmd: LiveCommandRecord): Promise<void> {
    return this.#d.link.send(session.tenantId, session.machineId, {
      kind: 'command',
      fields: { sessionId: session.id, commandId: cmd.id, machineId: session.machineId, command: cmd.command as LiveConsoleCommandName, argv: cmd.argv, cwd: cmd.cwd, actionId: cmd.machineActionId, timeoutMs: cmd.timeoutMs, expiresAt: cmd.expiresAt },
    });
  }

  /** Waits for a command to end (any process records it); undefined when it did not in time. */
  async #awaitFinal(session: LiveSessionRecord, commandId: number, timeoutMs: number): Promise<LiveCommandRecord | undefined> {
    const deadline = this.#d.clock.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - this.#d.clock.now();
      // Listening before reading: an answer stored in between still wakes us.
      const woken = this.#d.link.nextAnnounce(session.id, Math.max(0, remaining));
      const cmd = await this.#d.sessions.getCommand(session.tenantId, session.id, commandId);
      if (cmd && cmd.status !== 'Running') return cmd;
      if (remaining <= 0) return undefined;
      if (!(await woken)) return undefined;
    }
  }

  async #close(session: LiveSessionRecord, reason: LiveSessionCloseReason): Promise<LiveSessionRecord> {
    const now = this.#now();
    const closed = await this.#d.sessions.close(session.tenantId, session.id, reason, now);
    if (!closed) return (await this.#d.sessions.get(session.tenantId, session.id)) ?? session;
    const events: Omit<LiveEventRecord, 'seq'>[] = [];
    const status: LiveCommandStatus = reason === 'ClosedByUser' || reason === 'IdleTimeout' ? 'Cancelled' : 'Failed';
    for (const cmd of await this.#d.sessions.listCommands(session.tenantId, session.id, { status: 'Running' })) {
      const ended = await this.#d.sessions.updateCommand(session.tenantId, session.id, cmd.id, { status: ['Running'] }, { status, errors: [CLOSE_MESSAGES[reason]], endDateTimeUtc: now });
      if (!ended) continue;
      if (ended.id > 0) events.push({ event: 'command', commandId: ended.id, data: toWireLiveCommand(ended) });
      if (ended.machineActionId) await this.#d.actions.finishConsoleCommand(session.tenantId, ended.machineActionId, { status: status === 'Cancelled' ? 'Cancelled' : 'Failed', errorMessage: CLOSE_MESSAGES[reason] });
    }
    events.push({ event: 'session', commandId: null, data: toWireLiveSession(closed) });
    await this.#emit(session, events);
    if (reason !== 'DeviceDisconnected') await this.#d.link.send(session.tenantId, session.machineId, { kind: 'close', sessionId: session.id });
    return closed;
  }

  async #active(tenantId: string, sessionId: string): Promise<LiveSessionRecord> {
    const s = await this.get(tenantId, sessionId);
    if (s.state !== 'Active') throw new DomainError('InvalidRequest', `Live response session ${sessionId} is closed (${s.closeReason}); open a new one`);
    return s;
  }

  async #ofDevice(device: { tenantId: string; machineId: string }, sessionId: string, commandId: number): Promise<{ session: LiveSessionRecord; cmd: LiveCommandRecord }> {
    const session = await this.#d.sessions.get(device.tenantId, sessionId);
    // A device never reaches another device's session: the same answer as a missing one.
    const cmd = session && session.machineId === device.machineId ? await this.#d.sessions.getCommand(device.tenantId, sessionId, commandId) : undefined;
    if (!session || !cmd) throw new DomainError('ResourceNotFound', `Live response session ${sessionId} has no command ${commandId} for this device`);
    return { session, cmd };
  }

  async #outputText(tenantId: string, sessionId: string, commandId: number): Promise<string> {
    let text = '';
    let after = 0;
    for (;;) {
      const page = await this.#d.sessions.listEvents(tenantId, sessionId, after, 1000, { event: 'output', commandId });
      for (const e of page) text += (e.data as { text: string }).text;
      if (page.length < 1000) return text;
      after = page[page.length - 1]!.seq;
    }
  }

  async #emit(session: LiveSessionRecord, events: readonly Omit<LiveEventRecord, 'seq'>[]): Promise<void> {
    const stored = await this.#d.sessions.appendEvents(session.tenantId, session.id, events);
    // Announced even with nothing stored: the opening probe's end has no event, and its opener waits for it.
    this.#d.link.announce(session.tenantId, session.id, stored[stored.length - 1]?.seq ?? 0);
  }

  #now(): string {
    return toMdeTimestamp(this.#d.clock.now());
  }
}

/** The MachineAction command a recorded console command is shown as (getfile/putfile/run as MDE's types). */
function actionCommandOf(line: ParsedConsoleLine, commandLine: string): RecordedLiveResponseCommand {
  switch (line.command) {
    case 'getfile':
      return { type: 'GetFile', params: [{ key: 'Path', value: line.argv[0] ?? '' }] };
    case 'putfile':
      return { type: 'PutFile', params: [{ key: 'FileName', value: line.argv[0] ?? '' }] };
    case 'run':
      return { type: 'RunScript', params: [{ key: 'ScriptName', value: line.argv[0] ?? '' }, ...(line.argv[2] !== undefined ? [{ key: 'Args', value: line.argv[2] }] : [])] };
    default:
      return { type: CONSOLE_COMMAND_TYPE, params: [{ key: 'Command', value: line.command }, { key: 'CommandLine', value: commandLine }] };
  }
}
