/**
 * Pure rules of live response (mde-api.md §4.9, §4.10): what a valid `Commands` list is, which
 * library files it needs, and which command index has a downloadable result. The grammar itself
 * (order, params, forbidden Args characters) is protocol's, which the agent checks again.
 */
import {
  LIVE_RESPONSE_COMMAND_PARAMS as PARAMS,
  LIVE_RESPONSE_COMMAND_RANK as RANK,
  forbiddenArgCharacterIn,
  forbiddenArgMessage,
  type LiveResponseCommand,
  type LiveResponseCommandEntry,
} from '@cordon/protocol';
import type { ErrorCode } from '@cordon/protocol';
import type { ActionRecord } from '../ports/action-store.js';
import { checkLibraryFileName } from '../library/library-service.js';

export type CommandsCheck = { ok: true; libraryFiles: string[] } | { ok: false; code: ErrorCode; message: string };

/** Checks order and parameters; on success lists the library files the commands name. */
export function checkLiveResponseCommands(commands: readonly LiveResponseCommand[]): CommandsCheck {
  const fail = (code: ErrorCode, message: string): CommandsCheck => ({ ok: false, code, message });
  const libraryFiles: string[] = [];
  let rank = 0;
  for (const [i, command] of commands.entries()) {
    const at = `Commands[${i}] (${command.type})`;
    if (RANK[command.type] < rank) return fail('InvalidRequestBody', `${at} is out of order: commands must be ordered PutFile, then RunScript, then GetFile`);
    rank = RANK[command.type];
    const spec = PARAMS[command.type];
    const values = new Map<string, string>();
    for (const p of command.params) {
      if (!spec.required.includes(p.key) && !spec.optional.includes(p.key)) {
        return fail('InvalidRequestBody', `${at}: unknown parameter '${p.key}' (expected ${[...spec.required, ...spec.optional].join(', ')}; names are case-sensitive)`);
      }
      if (values.has(p.key)) return fail('InvalidRequestBody', `${at}: parameter '${p.key}' is given more than once`);
      values.set(p.key, p.value);
    }
    for (const key of spec.required) {
      if (!values.get(key)) return fail('MissingRequiredParameter', `${at}: parameter ${key} is missing`);
    }
    if (command.type === 'PutFile' || command.type === 'RunScript') {
      const name = values.get(command.type === 'PutFile' ? 'FileName' : 'ScriptName')!;
      const bad = checkLibraryFileName(name);
      if (bad) return fail('InvalidRequestBody', `${at}: ${bad}`);
      libraryFiles.push(name);
    }
    const args = values.get('Args');
    const forbidden = args === undefined ? undefined : forbiddenArgCharacterIn(args);
    if (forbidden) return fail('InvalidRequestBody', `${at}: ${forbiddenArgMessage(forbidden)}`);
    if (command.type === 'GetFile' && values.get('Path')!.includes('\0')) return fail('InvalidRequestBody', `${at}: Path must not contain NUL characters`);
  }
  return { ok: true, libraryFiles: [...new Set(libraryFiles)] };
}

/** The stored result of one command (a blob the agent uploaded). */
export interface CommandResultRef {
  blobId: string;
  size?: number;
  sha256?: string;
  name?: string;
}

export type CommandResultLookup = { ok: true; command: LiveResponseCommandEntry; result: CommandResultRef } | { ok: false; code: ErrorCode; message: string };

/**
 * A live response's commands as served: once the action is Cancelled, every command that had not
 * finished reads `Cancelled`, and one that was running ends at the cancellation. Derived, not
 * stored, so a command that completed just before the cancel landed keeps its outcome and result
 * whatever order the two writes took; reports after the cancel are refused, so nothing moves later.
 */
export function servedCommands(action: Pick<ActionRecord, 'status' | 'commands' | 'cancellationDateTimeUtc'>): LiveResponseCommandEntry[] {
  if (action.status !== 'Cancelled') return action.commands;
  return action.commands.map((c) =>
    c.commandStatus === 'Created' || c.commandStatus === 'InProgress'
      ? { ...c, commandStatus: 'Cancelled', endTime: c.commandStatus === 'InProgress' ? (action.cancellationDateTimeUtc ?? c.endTime) : c.endTime }
      : c,
  );
}

/**
 * Which result, if any, GetLiveResponseResultDownloadLink(index=N) serves (mde-api.md §4.10; the
 * doc leaves PutFile and unfinished commands open: Cordon answers 404 with a message saying why).
 */
export function commandResultOf(action: ActionRecord, index: number): CommandResultLookup {
  if (action.type !== 'LiveResponse') return { ok: false, code: 'ResourceNotFound', message: `Machine action ${action.id} is a ${action.type} action, not a live response` };
  if (!Number.isInteger(index) || index < 0 || index >= action.commands.length) {
    return { ok: false, code: 'InvalidInput', message: `Invalid input index=${index}: the action has commands 0 to ${action.commands.length - 1}` };
  }
  const command = servedCommands(action)[index]!;
  const type = command.command.type;
  if (type === 'PutFile') return { ok: false, code: 'ResourceNotFound', message: `Command PutFile at index ${index} produces no result` };
  if (command.commandStatus !== 'Completed') {
    return { ok: false, code: 'ResourceNotFound', message: `Command ${type} at index ${index} has no result: its status is ${command.commandStatus}${command.commandStatus === 'Created' || command.commandStatus === 'InProgress' ? ' (not completed yet)' : ''}` };
  }
  const result = commandResultsOf(action)[index];
  if (!result) return { ok: false, code: 'ResourceNotFound', message: `Command ${type} at index ${index} completed but no result was uploaded` };
  return { ok: true, command, result };
}

/**
 * The result blob of each command (null where none): `result.commandResults` as progress reports
 * filled it, else the executor's final `result.results` (a finish replaces `result` wholesale).
 */
export function commandResultsOf(action: Pick<ActionRecord, 'result' | 'commands'>): (CommandResultRef | null)[] {
  const list = (key: string) => {
    const raw = action.result?.[key];
    return Array.isArray(raw) ? raw : [];
  };
  const merged = list('commandResults');
  const final = list('results');
  return action.commands.map((_, i) => asResultRef(merged[i]) ?? asResultRef(final[i]));
}

/** The package blob of a CollectInvestigationPackage action (the executor's `{ blobId, size, sha256 }`). */
export function packageResultOf(action: Pick<ActionRecord, 'result'>): CommandResultRef | null {
  const r = action.result;
  return asResultRef(r?.package) ?? asResultRef(r);
}

export function asResultRef(value: unknown): CommandResultRef | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.blobId !== 'string' || !/^[0-9a-f]{32}$/.test(v.blobId)) return null;
  return {
    blobId: v.blobId,
    ...(typeof v.size === 'number' ? { size: v.size } : {}),
    ...(typeof v.sha256 === 'string' ? { sha256: v.sha256 } : {}),
    ...(typeof v.name === 'string' ? { name: v.name } : {}),
  };
}
