/**
 * Decides whether a live/command may run on this device, exactly as verify-action.ts decides for
 * actions: signed by a key from the onboarding package over canonicalLiveCommandText (the argv as
 * the server split it included), for this machine, and not expired.
 */
import { canonicalLiveCommandText, type LiveCommandParams } from '@cordon/protocol';
import type { KeyObject } from 'node:crypto';
import { verifyText } from '../crypto.js';

export type LiveVerdict = { ok: true } | { ok: false; message: string };

export function verifyLiveCommand(cmd: LiveCommandParams, opts: { keys: ReadonlyMap<string, KeyObject>; machineId: string; nowMs: number }): LiveVerdict {
  const key = typeof cmd.keyId === 'string' ? opts.keys.get(cmd.keyId) : undefined;
  if (!key) return { ok: false, message: `command signed with unknown key ${String(cmd.keyId)}` };
  let text: string;
  try {
    text = canonicalLiveCommandText(cmd);
  } catch {
    return { ok: false, message: 'command fields cannot be canonicalised' };
  }
  if (typeof cmd.signature !== 'string' || !verifyText(key, text, cmd.signature)) return { ok: false, message: 'command signature does not verify' };
  if (cmd.machineId !== opts.machineId) return { ok: false, message: `command is for machine ${cmd.machineId}` };
  const expires = Date.parse(cmd.expiresAt);
  if (!Number.isFinite(expires) || expires <= opts.nowMs) return { ok: false, message: `command expired at ${cmd.expiresAt}` };
  return { ok: true };
}
