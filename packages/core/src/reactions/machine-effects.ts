/**
 * What a Succeeded action does to its machine record, read from the action catalog (protocol).
 * ActionService hands the result to the store with the final status, so the status and the
 * machine change commit together or not at all.
 */
import { ACTION_CATALOG, machineEffectOf, type ActionType } from '@cordon/protocol';
import type { MachinePatch } from '../ports/machine-store.js';

export interface SucceededEffect {
  /** Fields of the machine record to set. */
  patch: MachinePatch;
  /** The device's agent credential is revoked (offboarding): it can no longer connect. */
  revokeAgent: boolean;
}

/** The effect of `action` reaching Succeeded, or undefined when it changes nothing on the machine. */
export function machineEffectOfSucceeded(action: { type: ActionType; parameters: Record<string, unknown> }): SucceededEffect | undefined {
  const patch: MachinePatch = machineEffectOf(action.type, action.parameters);
  const revokeAgent = 'revokesAgent' in ACTION_CATALOG[action.type];
  if (Object.keys(patch).length === 0 && !revokeAgent) return undefined;
  return { patch, revokeAgent };
}
