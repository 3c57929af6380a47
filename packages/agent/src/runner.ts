/**
 * The runner: takes dispatched actions from the transport, verifies and de-duplicates them,
 * accepts, runs the executor under an AbortSignal (cancel + timeout), and reports the outcome
 * until the server acknowledges it. The journal (state.ts) is written before each step, so no
 * action runs twice across duplicate deliveries, replays and restarts.
 */
import type { KeyObject } from 'node:crypto';
import { AGENT_METHODS, MAX_AGENT_TEXT_LENGTH, type DispatchedAction, type FinishOutcome, type RefusalCode } from '@cordon/protocol';
import { ActionOrder } from './action-order.js';
import type { ActionExecutor, ExecutorContext, ExecutorResult } from './executors/types.js';
import type { ActionJournal, JournalEntry } from './state.js';
import { RemoteError, type AgentTransport } from './transport/types.js';
import { verifyAction } from './verify-action.js';

export interface RunnerLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export interface RunnerDeps {
  machineId: string;
  /** Action-signing keys from the onboarding package, by key id. */
  keys: ReadonlyMap<string, KeyObject>;
  journal: ActionJournal;
  /** Only executors this device can run (what it advertises). */
  executors: ReadonlyMap<string, ActionExecutor>;
  transport: Pick<AgentTransport, 'request'>;
  /** Builds the executor context (platform, files, settings...) for one action. */
  context(actionId: string, signal: AbortSignal, progress: (update: Record<string, unknown>) => void): ExecutorContext;
  now(): number;
  log: RunnerLogger;
  /** Called once an Offboard success has been acknowledged by the server. */
  onOffboarded(): Promise<void>;
}

/** Why an executor was aborted, carried as the signal's reason. */
class AbortReason extends Error {
  constructor(
    readonly kind: 'Cancelled' | 'TimeOut',
    message: string,
  ) {
    super(message);
  }
}

export class Runner {
  readonly #deps: RunnerDeps;
  /** Ids being handled by this process right now (receipt to report). */
  readonly #inflight = new Set<string>();
  readonly #controllers = new Map<string, AbortController>();
  readonly #tasks = new Set<Promise<void>>();
  /** Conflicting actions (same mechanism) run one at a time, in the server's acceptance order. */
  readonly #order = new ActionOrder();

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
  }

  /** Resolves when every action handled so far has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  get running(): number {
    return this.#controllers.size;
  }

  onDispatch(action: DispatchedAction): void {
    const task = this.#handle(action).catch((err: unknown) => this.#deps.log.error({ err, actionId: action?.id }, 'dispatch handling failed'));
    this.#tasks.add(task);
    void task.finally(() => this.#tasks.delete(task));
  }

  onCancel(actionId: string, reason: 'Cancelled' | 'TimeOut'): void {
    if (this.#order.cancel(actionId)) {
      this.#deps.log.info({ actionId, reason }, 'dropping a waiting action');
      return;
    }
    const ctl = this.#controllers.get(actionId);
    if (!ctl) return;
    this.#deps.log.info({ actionId, reason }, 'aborting action');
    ctl.abort(new AbortReason(reason === 'TimeOut' ? 'TimeOut' : 'Cancelled', reason === 'TimeOut' ? 'The action timed out on the server' : 'The action was cancelled'));
  }

  /** Re-sends outcomes the server has not acknowledged (after a reconnect or restart). */
  async resendFinished(): Promise<void> {
    for (const entry of this.#deps.journal.list('finished')) {
      if (this.#inflight.has(entry.id)) continue;
      await this.#report(entry);
    }
  }

  async #handle(action: DispatchedAction): Promise<void> {
    const { journal } = this.#deps;
    if (!action || typeof action.id !== 'string') return;
    const verdict = verifyAction(action, { keys: this.#deps.keys, machineId: this.#deps.machineId, nowMs: this.#deps.now() });
    if (!verdict.ok) {
      // Unsigned/forged/foreign actions are not journaled: a forged id must not poison a real one.
      return this.#refuse(action, verdict.code, verdict.message, verdict.code === 'Expired');
    }
    if (this.#inflight.has(action.id)) return; // duplicate delivery while we handle it
    const seen = journal.get(action.id);
    if (seen) {
      if (seen.phase === 'finished') return this.#report(seen);
      if (seen.phase === 'reported' || seen.phase === 'refused') return this.#refuse(action, 'Replayed', 'action was already handled on this device', false);
      // `accepting` from an earlier attempt whose answer was lost: never ran, so retry below.
    }
    const executor = this.#deps.executors.get(action.type);
    if (!executor) return this.#refuse(action, 'Unsupported', `this device cannot run ${action.type}`, true);
    const invalid = executor.validate(action.parameters);
    if (invalid) return this.#refuse(action, 'InvalidParameters', invalid, true);

    this.#inflight.add(action.id);
    try {
      const turn = await this.#order.turn(action);
      if (turn === 'cancelled') return;
      if (turn === 'superseded') return await this.#refuse(action, 'Superseded', `a later action of the same kind already ran on this device; running this ${action.type} would undo it`, true);
      try {
        await this.#acceptAndRun(executor, action);
      } finally {
        this.#order.release(action.id);
      }
    } finally {
      this.#inflight.delete(action.id);
    }
  }

  /** Accepts (Pending -> InProgress), runs and reports an action whose turn has come. */
  async #acceptAndRun(executor: ActionExecutor, action: DispatchedAction): Promise<void> {
    const { journal, log } = this.#deps;
    const base = { id: action.id, type: action.type, expiresAt: action.expiresAt };
    await journal.put({ ...base, phase: 'accepting' });
    let accepted: { status: string };
    try {
      accepted = await this.#deps.transport.request<{ status: string }>(AGENT_METHODS.accept.method, { actionId: action.id });
    } catch (err) {
      if (err instanceof RemoteError) {
        log.warn({ actionId: action.id, code: err.code }, 'server refused accept; not running');
        await journal.put({ ...base, phase: 'reported' });
      }
      // Transport failure: stays `accepting`; the catch-up after reconnect retries it.
      return;
    }
    if (accepted.status !== 'InProgress') {
      log.info({ actionId: action.id, status: accepted.status }, 'action no longer runnable; not running');
      await journal.put({ ...base, phase: 'reported' });
      return;
    }
    await journal.put({ ...base, phase: 'running' });
    const outcome = await this.#run(executor, action);
    const entry: JournalEntry = { ...base, phase: 'finished', outcome };
    await journal.put(entry);
    await this.#report(entry);
  }

  async #run(executor: ActionExecutor, action: DispatchedAction): Promise<FinishOutcome> {
    const ctl = new AbortController();
    this.#controllers.set(action.id, ctl);
    const timeoutMs = Number.isFinite(action.runTimeoutMs) && action.runTimeoutMs > 0 ? action.runTimeoutMs : 10 * 60_000;
    const timer = setTimeout(() => ctl.abort(new AbortReason('TimeOut', `The action did not finish within ${timeoutMs} ms`)), timeoutMs);
    const progress = (update: Record<string, unknown>) => {
      this.#deps.transport.request(AGENT_METHODS.progress.method, { actionId: action.id, update }).catch(() => {});
    };
    const started = this.#deps.now();
    try {
      const result: ExecutorResult = await executor.run(action.parameters, this.#deps.context(action.id, ctl.signal, progress));
      if (ctl.signal.aborted) return abortedOutcome(ctl.signal.reason);
      this.#deps.log.info({ actionId: action.id, type: action.type, status: result.status, ms: this.#deps.now() - started }, 'action finished');
      if (result.status === 'Succeeded') return { status: 'Succeeded', ...(result.output ? { result: result.output } : {}) };
      return { status: 'Failed', errorMessage: clip(result.error.message), errorCode: result.error.code, ...(result.error.hresult !== undefined ? { errorHResult: result.error.hresult } : {}), ...(result.output ? { result: result.output } : {}) };
    } catch (err) {
      if (ctl.signal.aborted) return abortedOutcome(ctl.signal.reason);
      const e = err as { code?: unknown; message?: unknown };
      this.#deps.log.error({ actionId: action.id, err }, 'executor threw');
      return { status: 'Failed', errorCode: typeof e?.code === 'string' ? e.code : 'ExecutorError', errorMessage: clip(`Executor failed: ${String(e?.message ?? err)}`) };
    } finally {
      clearTimeout(timer);
      this.#controllers.delete(action.id);
    }
  }

  async #report(entry: JournalEntry): Promise<void> {
    if (!entry.outcome) return;
    let status: string;
    try {
      ({ status } = await this.#deps.transport.request<{ status: string }>(AGENT_METHODS.finish.method, { actionId: entry.id, outcome: entry.outcome }));
    } catch (err) {
      if (!(err instanceof RemoteError)) return; // offline: stays `finished`, re-sent on reconnect
      this.#deps.log.warn({ actionId: entry.id, code: err.code }, 'server rejected the outcome; dropping it');
      status = 'Unknown';
    }
    await this.#deps.journal.put({ ...entry, phase: 'reported' });
    if (entry.type === 'Offboard' && entry.outcome.status === 'Succeeded' && status === 'Succeeded') await this.#deps.onOffboarded();
  }

  async #refuse(action: DispatchedAction, code: RefusalCode, message: string, journalIt: boolean): Promise<void> {
    this.#deps.log.warn({ actionId: action.id, code, message }, 'refusing action');
    if (journalIt && typeof action.expiresAt === 'string') {
      await this.#deps.journal.put({ id: action.id, type: String(action.type), phase: 'refused', expiresAt: action.expiresAt });
    }
    await this.#deps.transport.request(AGENT_METHODS.refuse.method, { actionId: action.id, code, message: clip(message) }).catch(() => {});
  }
}

function abortedOutcome(reason: unknown): FinishOutcome {
  if (reason instanceof AbortReason) {
    return { status: 'Failed', errorCode: reason.kind, errorMessage: reason.message, errorHResult: reason.kind === 'TimeOut' ? -2147023436 : -2147023673 };
  }
  return { status: 'Failed', errorCode: 'Aborted', errorMessage: 'The action was aborted' };
}

/**
 * The server refuses free text over MAX_AGENT_TEXT_LENGTH (and a refused outcome is dropped), so a
 * long error (an nft or clamscan stderr, a list of paths) is cut here rather than lost.
 */
function clip(text: string): string {
  return text.length <= MAX_AGENT_TEXT_LENGTH ? text : `${text.slice(0, MAX_AGENT_TEXT_LENGTH - 1)}…`;
}
