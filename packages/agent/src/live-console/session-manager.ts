/**
 * The device's side of live response console sessions: sessions by id (in memory only — an agent
 * that restarts has none, and the server fails what was running), each with its directory and its
 * running commands (at most LIVE_CONSOLE_LIMITS.runningCommandsPerSession). Every live/command is
 * verified like an action before anything runs; a refused one is answered live/done Failed with the
 * reason. live/cancel, the command's timeoutMs and live/close abort the command's signal (its child
 * process group is killed, its walk stops) and live/done says Cancelled or TimeOut at once.
 */
import type { KeyObject } from 'node:crypto';
import { AGENT_METHODS, LIVE_CONSOLE_LIMITS, isLiveConsoleCommand, type LiveCommandParams, type LiveConsoleTable, type LiveDoneParams } from '@cordon/protocol';
import type { ExecutorContext } from '../executors/types.js';
import type { Platform } from '../platform/types.js';
import type { AgentTransport } from '../transport/types.js';
import { LIVE_COMMAND_MODULES } from './commands/index.js';
import { OutputStream } from './output-stream.js';
import { LiveCommandError, type LiveCommandModule, type LiveCommandResult } from './types.js';
import { verifyLiveCommand } from './verify-live-command.js';

export interface LiveConsoleLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export interface LiveConsoleDeps {
  machineId: string;
  keys: ReadonlyMap<string, KeyObject>;
  transport: Pick<AgentTransport, 'request'>;
  platform: Platform;
  /** A batch executor's context for a console command (files bound to its action, if any). */
  executorContext(actionId: string | null, signal: AbortSignal): ExecutorContext;
  now(): number;
  log: LiveConsoleLogger;
  /** Default process.pid. */
  agentPid?: number;
}

interface Running {
  controller: AbortController;
}

interface Session {
  cwd: string;
  running: Map<number, Running>;
  /** Command ids already taken: a replayed live/command never runs twice. */
  seen: Set<number>;
}

class Abort extends Error {
  constructor(readonly status: 'Cancelled' | 'TimeOut', message: string) {
    super(message);
  }
}

const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_ERROR = 4000;
const MAX_ERRORS = 16;
const MAX_CELL = 8192;
const MAX_ROWS = 100_000;

export class LiveConsoleManager {
  readonly #deps: LiveConsoleDeps;
  readonly #sessions = new Map<string, Session>();
  readonly #tasks = new Set<Promise<void>>();

  constructor(deps: LiveConsoleDeps) {
    this.#deps = deps;
  }

  /** Commands running in every session. */
  get running(): number {
    let n = 0;
    for (const s of this.#sessions.values()) n += s.running.size;
    return n;
  }

  /** Resolves when every command handled so far has been reported (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  onCommand(params: LiveCommandParams): void {
    const task = this.#handle(params).catch((err: unknown) => this.#deps.log.warn({ err }, 'live command handling failed'));
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
  }

  onCancel(sessionId: string, commandId: number): void {
    this.#sessions.get(sessionId)?.running.get(commandId)?.controller.abort(new Abort('Cancelled', 'The command was cancelled'));
  }

  /** Stops the session's commands (reported Cancelled) and forgets it. */
  onClose(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    for (const r of session.running.values()) r.controller.abort(new Abort('Cancelled', 'The session was closed'));
  }

  /** Agent shutdown: every session closed. */
  stopAll(): void {
    for (const id of [...this.#sessions.keys()]) this.onClose(id);
  }

  async #handle(p: LiveCommandParams): Promise<void> {
    // Without a session id and a command id there is no one to answer.
    if (!p || typeof p.sessionId !== 'string' || !SESSION_ID.test(p.sessionId) || !Number.isInteger(p.commandId) || p.commandId < 0) return;
    const cwdIn = typeof p.cwd === 'string' && p.cwd.startsWith('/') ? p.cwd : '/';
    const refuse = (message: string) => this.#done({ sessionId: p.sessionId, commandId: p.commandId, status: 'Failed', exitCode: null, errors: [clip(message)], cwd: cwdIn, outputChunks: 0 });
    const verdict = verifyLiveCommand(p, { keys: this.#deps.keys, machineId: this.#deps.machineId, nowMs: this.#deps.now() });
    if (!verdict.ok) {
      this.#deps.log.warn({ sessionId: p.sessionId, commandId: p.commandId, reason: verdict.message }, 'refusing live command');
      return refuse(`Refused by the device: ${verdict.message}`);
    }
    let session = this.#sessions.get(p.sessionId);
    if (!session) this.#sessions.set(p.sessionId, (session = { cwd: cwdIn, running: new Map(), seen: new Set() }));
    if (session.seen.has(p.commandId)) return; // a replay of a command this session already took
    session.seen.add(p.commandId);
    if (!isLiveConsoleCommand(p.command) || !Object.hasOwn(LIVE_COMMAND_MODULES, p.command)) return refuse(`'${String(p.command)}' does not run on the device`);
    if (!Array.isArray(p.argv) || p.argv.some((a) => typeof a !== 'string')) return refuse('argv must be a list of strings');
    if (session.running.size >= LIVE_CONSOLE_LIMITS.runningCommandsPerSession) return refuse(`${LIVE_CONSOLE_LIMITS.runningCommandsPerSession} commands are already running in this session`);
    await this.#run(session, p, cwdIn);
  }

  async #run(session: Session, p: LiveCommandParams, cwdIn: string): Promise<void> {
    const controller = new AbortController();
    const { signal } = controller;
    session.running.set(p.commandId, { controller });
    const timeoutMs = Number.isFinite(p.timeoutMs) && p.timeoutMs > 0 ? p.timeoutMs : 10 * 60_000;
    const timer = setTimeout(() => controller.abort(new Abort('TimeOut', `The command did not finish within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`)), timeoutMs);
    const out = new OutputStream((seq, text) => this.#deps.transport.request(AGENT_METHODS.liveOutput.method, { sessionId: p.sessionId, commandId: p.commandId, seq, text }).then(() => undefined));
    const module = (LIVE_COMMAND_MODULES as Partial<Record<string, LiveCommandModule>>)[p.command]!;
    const aborted = new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
    const started = this.#deps.now();
    let result: LiveCommandResult | 'aborted';
    try {
      const running = module.run({
        argv: p.argv,
        cwd: cwdIn,
        signal,
        write: (text) => out.write(text),
        platform: this.#deps.platform,
        actionId: p.actionId,
        executorContext: () => this.#deps.executorContext(p.actionId, signal),
        agentPid: this.#deps.agentPid ?? process.pid,
      });
      // Cancel answers at once: the module stops in the background (its signal is aborted).
      result = await Promise.race([running, aborted]);
      if (result === 'aborted') running.catch(() => {});
    } catch (err) {
      result = signal.aborted ? 'aborted' : err instanceof LiveCommandError ? { status: 'Failed', exitCode: 1, errors: [err.message] } : { status: 'Failed', exitCode: 1, errors: [`The command failed: ${err instanceof Error ? err.message : String(err)}`] };
    } finally {
      clearTimeout(timer);
      session.running.delete(p.commandId);
    }
    if (result === 'aborted' || signal.aborted) {
      const reason = signal.reason instanceof Abort ? signal.reason : new Abort('Cancelled', 'The command was stopped');
      const outputChunks = await out.close();
      this.#deps.log.info({ sessionId: p.sessionId, commandId: p.commandId, command: p.command, status: reason.status }, 'live command stopped');
      return this.#done({ sessionId: p.sessionId, commandId: p.commandId, status: reason.status, exitCode: null, errors: [reason.message], cwd: session.cwd, outputChunks });
    }
    const status = result.status ?? 'Completed';
    if (result.cwd) session.cwd = result.cwd;
    const table = result.table ? fitTable(result.table, out) : undefined;
    const outputChunks = await out.close();
    this.#deps.log.info({ sessionId: p.sessionId, commandId: p.commandId, command: p.command, status, ms: this.#deps.now() - started }, 'live command finished');
    return this.#done({
      sessionId: p.sessionId,
      commandId: p.commandId,
      status,
      exitCode: result.exitCode ?? (status === 'Completed' ? 0 : 1),
      errors: (result.errors ?? []).slice(0, MAX_ERRORS).map(clip),
      cwd: result.cwd ?? cwdIn,
      outputChunks,
      ...(table ? { table } : {}),
      ...(result.resultFile ? { resultFile: result.resultFile } : {}),
    });
  }

  async #done(params: LiveDoneParams): Promise<void> {
    await this.#deps.transport.request(AGENT_METHODS.liveDone.method, params).catch((err: unknown) => this.#deps.log.warn({ err, sessionId: params.sessionId, commandId: params.commandId }, 'live/done not delivered'));
  }
}

function clip(text: string): string {
  return text.length <= MAX_ERROR ? text : `${text.slice(0, MAX_ERROR - 1)}…`;
}

/** Keeps a table within what live/done accepts; the readable output says when rows were left out. */
function fitTable(table: LiveConsoleTable, out: OutputStream): LiveConsoleTable {
  const cell = (c: string | number | null) => (typeof c === 'string' && c.length > MAX_CELL ? `${c.slice(0, MAX_CELL - 1)}…` : c);
  if (table.rows.length > MAX_ROWS) out.write(`[table cut: only the first ${MAX_ROWS} of ${table.rows.length} rows are sent]\n`);
  return { columns: table.columns.slice(0, 32), rows: table.rows.slice(0, MAX_ROWS).map((r) => r.slice(0, 32).map(cell)) };
}
