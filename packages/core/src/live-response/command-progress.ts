/**
 * Folding what an agent reports about live response commands into the action (pure).
 *
 * The LiveResponse executor reports one command at a time through `ctx.progress`:
 * `{ commandIndex, commandStatus, startTime, endTime, errors, result }` (result: the uploaded blob of
 * a RunScript/GetFile, else null), and finishes with `{ commands: [...states], results: [...] }`.
 * Reports may arrive out of order or twice, so the merge is monotonic: Created → InProgress →
 * final (`Completed`/`Failed`, or `Cancelled` when the action is cancelled); a status never moves
 * back, and a start time once set stays.
 */
import { toMdeTimestamp, type CommandStatus, type LiveResponseCommandEntry } from '@cordon/protocol';
import type { ActionPatch, ActionRecord } from '../ports/action-store.js';
import { asResultRef, commandResultsOf, type CommandResultRef } from './live-response-rules.js';

/** One command's state as an agent reports it (untrusted until normalised). */
export interface CommandReport {
  commandIndex: number;
  commandStatus: CommandStatus;
  startTime: string | null;
  endTime: string | null;
  errors: string[];
  result: CommandResultRef | null;
}

const MAX_ERRORS = 10;
const MAX_ERROR_LENGTH = 2000;

/** Reads one command report; undefined when `value` is not one. */
export function parseCommandReport(value: unknown, fallbackIndex?: number): CommandReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const index = typeof v.commandIndex === 'number' ? v.commandIndex : typeof v.index === 'number' ? v.index : fallbackIndex;
  if (index === undefined || !Number.isInteger(index) || index < 0) return undefined;
  const status = agentStatus(v.commandStatus, v.startTime);
  if (!status) return undefined;
  return {
    commandIndex: index,
    commandStatus: status,
    startTime: timestamp(v.startTime),
    endTime: timestamp(v.endTime),
    errors: Array.isArray(v.errors) ? v.errors.filter((e): e is string => typeof e === 'string').slice(0, MAX_ERRORS).map((e) => e.slice(0, MAX_ERROR_LENGTH)) : [],
    result: asResultRef(v.result),
  };
}

/** Applies reports to a LiveResponse action's commands and `result.commandResults`. */
export function mergeCommandReports(action: Pick<ActionRecord, 'commands' | 'result'>, reports: readonly CommandReport[]): Pick<ActionPatch, 'commands' | 'result'> {
  const commands = action.commands.map((c) => ({ ...c, errors: [...c.errors] }));
  const results = commandResultsOf(action);
  for (const r of reports) {
    const current = commands[r.commandIndex];
    if (!current) continue; // an index the action does not have: ignored, never grows the list
    commands[r.commandIndex] = mergeOne(current, r);
    if (r.result && !results[r.commandIndex]) results[r.commandIndex] = r.result;
  }
  return { commands, result: { ...(action.result ?? {}), commandResults: results } };
}

/**
 * What an agent may report: never `Cancelled` (only the server's cancel sets it). Agents before
 * InProgress existed reported a started command as `Created` with its start time: that is InProgress.
 */
function agentStatus(status: unknown, startTime: unknown): CommandStatus | undefined {
  if (status === 'Created') return typeof startTime === 'string' ? 'InProgress' : 'Created';
  if (status === 'InProgress' || status === 'Completed' || status === 'Failed') return status;
  return undefined;
}

const isFinal = (s: CommandStatus) => s === 'Completed' || s === 'Failed' || s === 'Cancelled';

/**
 * The commands of a live response being cancelled at `now`: every command not final yet becomes
 * `Cancelled` (one that was running also gets its end time); final ones keep their outcome.
 */
export function cancelOpenCommands(commands: readonly LiveResponseCommandEntry[], now: string): LiveResponseCommandEntry[] {
  return commands.map((c) => (isFinal(c.commandStatus) ? c : { ...c, commandStatus: 'Cancelled', endTime: c.commandStatus === 'InProgress' ? now : c.endTime }));
}

function mergeOne(current: LiveResponseCommandEntry, r: CommandReport): LiveResponseCommandEntry {
  if (isFinal(current.commandStatus)) return current; // the first final report stands
  if (r.commandStatus === 'Created' && current.commandStatus === 'InProgress') return current; // a stale report
  return {
    ...current,
    commandStatus: r.commandStatus,
    startTime: current.startTime ?? r.startTime,
    endTime: isFinal(r.commandStatus) ? (r.endTime ?? current.endTime) : current.endTime,
    errors: r.errors.length > 0 || isFinal(r.commandStatus) ? r.errors : current.errors,
  };
}

/**
 * The reports in an agent's progress update: one command (`commandIndex`), or a `commands` list.
 * Empty when the update carries none.
 */
export function commandReportsIn(update: unknown): CommandReport[] {
  if (typeof update !== 'object' || update === null) return [];
  const u = update as Record<string, unknown>;
  const single = parseCommandReport(u);
  if (single) return [single];
  return reportsFromList(u.commands, u.results);
}

/** The command reports in a finish outcome's `result` (`{ commands, results }` of the executor). */
export function commandReportsInOutcome(result: Record<string, unknown> | undefined): CommandReport[] {
  if (!result) return [];
  return reportsFromList(result.commands, result.results);
}

function reportsFromList(commands: unknown, results: unknown): CommandReport[] {
  if (!Array.isArray(commands)) return [];
  const resultList = Array.isArray(results) ? results : [];
  const out: CommandReport[] = [];
  for (const [i, c] of commands.entries()) {
    const r = parseCommandReport(c, i);
    if (r) out.push(r.result ? r : { ...r, result: asResultRef(resultList[r.commandIndex]) });
  }
  return out;
}

/** Agent timestamps are ISO strings with any precision; the wire wants MDE's 7 digits. */
function timestamp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? toMdeTimestamp(ms) : null;
}
