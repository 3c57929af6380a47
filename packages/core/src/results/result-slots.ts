/**
 * Pure rules of result uploads: which result slot an upload fills (one per RunScript or GetFile
 * command, one package per CollectInvestigationPackage), and which stored results an ended action
 * can still serve — exactly those the link endpoints hand out (result-links).
 */
import { CONSOLE_COMMAND_TYPE, resultKindsOf, type ErrorCode, type ResultKind } from '@cordon/protocol';
import type { ActionRecord } from '../ports/action-store.js';
import { commandResultOf, packageResultOf } from '../live-response/live-response-rules.js';

/** What a slot holds; decides its size cap (protocol RESULT_MAX_BYTES). */
export type { ResultKind };

export interface ResultSlot {
  /** The ActionResultStore key within the action. */
  slot: string;
  kind: ResultKind;
  /** For messages: `the investigation package`, `command 2 (GetFile)`. */
  label: string;
}

export type ResultSlotLookup = { ok: true; slot: ResultSlot } | { ok: false; code: ErrorCode; message: string };

export const PACKAGE_SLOT = 'package';
export const commandSlot = (index: number): string => `command-${index}`;

/** The media type each kind must be declared with. */
const CONTENT_TYPES: Record<ResultKind, string> = { package: 'application/zip', transcript: 'application/json', file: 'application/octet-stream' };

/**
 * The slot an upload for `action` fills. `commandIndex` is what the device sent (undefined when it
 * sent none); `contentType` the media type it declared.
 */
export function resultSlotFor(action: Pick<ActionRecord, 'id' | 'type' | 'commands'>, upload: { commandIndex: string | undefined; contentType: string }): ResultSlotLookup {
  const refuse = (message: string): ResultSlotLookup => ({ ok: false, code: 'BadRequest', message });
  const typed = (slot: ResultSlot): ResultSlotLookup =>
    upload.contentType === CONTENT_TYPES[slot.kind] ? { ok: true, slot } : refuse(`The result for ${slot.label} must be ${CONTENT_TYPES[slot.kind]}, not ${upload.contentType}`);
  const kinds = resultKindsOf(action.type);
  if (kinds.includes('package')) {
    if (upload.commandIndex !== undefined) return refuse(`Action ${action.id} is a CollectInvestigationPackage: its one result, the package, has no command index`);
    return typed({ slot: PACKAGE_SLOT, kind: 'package', label: 'the investigation package' });
  }
  if (kinds.length === 0) return refuse(`${action.type} actions produce no result files`);
  if (upload.commandIndex === undefined) return refuse(`A live response result must name the command it belongs to (its command index)`);
  const index = /^\d{1,9}$/.test(upload.commandIndex) ? Number(upload.commandIndex) : NaN;
  const last = action.commands.length - 1;
  if (!(index <= last)) return refuse(`Action ${action.id} has commands 0 to ${last}; ${upload.commandIndex.slice(0, 20)} is not one of them`);
  const type = action.commands[index]!.command.type;
  if (type === 'PutFile') return refuse(`Command ${index} (PutFile) produces no result`);
  // A recorded console command: only collect uploads (its package, as a file).
  if (type === CONSOLE_COMMAND_TYPE && !action.commands[index]!.command.params.some((p) => p.key === 'Command' && p.value === 'collect')) return refuse(`Command ${index} (${type}) produces no result`);
  return typed({ slot: commandSlot(index), kind: type === 'RunScript' ? 'transcript' : 'file', label: `command ${index} (${type})` });
}

/**
 * The result blobs an action that ended can still serve, by slot: the package of a Succeeded
 * collection, the result of each Completed RunScript/GetFile command. Anything else it was sent
 * is unreachable and may be deleted.
 */
export function reachableResults(action: ActionRecord): Map<string, string> {
  const reachable = new Map<string, string>();
  if (resultKindsOf(action.type).includes('package')) {
    const ref = action.status === 'Succeeded' ? packageResultOf(action) : null;
    if (ref) reachable.set(PACKAGE_SLOT, ref.blobId);
  } else if (resultKindsOf(action.type).length > 0) {
    // Per-command results (transcripts, files): one slot per command.
    for (let i = 0; i < action.commands.length; i++) {
      const found = commandResultOf(action, i);
      if (found.ok) reachable.set(commandSlot(i), found.result.blobId);
    }
  }
  return reachable;
}
