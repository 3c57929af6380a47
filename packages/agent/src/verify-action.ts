/**
 * Decides whether a dispatched action may run on this device: signed by a key from the onboarding
 * package, over exactly these fields, for this machine, and not expired. Replay (an action id
 * already seen) is the journal's job (state.ts). Pure apart from the crypto.
 */
import { canonicalActionText, type DispatchedAction, type RefusalCode } from '@cordon/protocol';
import type { KeyObject } from 'node:crypto';
import { verifyText } from './crypto.js';

export type Verdict = { ok: true } | { ok: false; code: RefusalCode; message: string };

export function verifyAction(action: DispatchedAction, opts: { keys: ReadonlyMap<string, KeyObject>; machineId: string; nowMs: number }): Verdict {
  const key = opts.keys.get(action.keyId);
  if (!key) return { ok: false, code: 'UnknownKey', message: `action signed with unknown key ${String(action.keyId)}` };
  let text: string;
  try {
    text = canonicalActionText({ id: action.id, machineId: action.machineId, type: action.type, parameters: action.parameters, expiresAt: action.expiresAt, runTimeoutMs: action.runTimeoutMs, createdAt: action.createdAt });
  } catch {
    return { ok: false, code: 'BadSignature', message: 'action fields cannot be canonicalised' };
  }
  if (!verifyText(key, text, action.signature)) return { ok: false, code: 'BadSignature', message: 'action signature does not verify' };
  if (action.machineId !== opts.machineId) return { ok: false, code: 'WrongMachine', message: `action is for machine ${action.machineId}` };
  const expires = Date.parse(action.expiresAt);
  if (!Number.isFinite(expires) || expires <= opts.nowMs) return { ok: false, code: 'Expired', message: `action expired at ${action.expiresAt}` };
  return { ok: true };
}
