/**
 * What a Succeeded action does to its machine record, as one pure function of the action's type
 * and parameters. ActionService hands the result to the store with the final status, so the
 * status and the machine change commit together or not at all.
 *
 * Kept to this one function so it can be replaced by a per-type entry of an action catalog.
 */
import type { ActionType } from '@cordon/protocol';
import type { MachinePatch } from '../ports/machine-store.js';

export interface MachineEffect {
  /** Fields of the machine record to set. */
  patch: MachinePatch;
  /** The device's agent credential is revoked (offboarding): it can no longer connect. */
  revokeAgent: boolean;
}

/** The effect of `action` reaching Succeeded, or undefined when it changes nothing on the machine. */
export function machineEffectOfSucceeded(action: { type: ActionType; parameters: Record<string, unknown> }): MachineEffect | undefined {
  switch (action.type) {
    case 'Isolate':
      return { patch: { isolationState: action.parameters.IsolationType === 'Selective' ? 'SelectivelyIsolated' : 'Isolated' }, revokeAgent: false };
    case 'Unisolate':
      return { patch: { isolationState: 'NotIsolated' }, revokeAgent: false };
    case 'RestrictCodeExecution':
      return { patch: { isRestricted: true }, revokeAgent: false };
    case 'UnrestrictCodeExecution':
      return { patch: { isRestricted: false }, revokeAgent: false };
    case 'Offboard':
      return { patch: { onboardingStatus: 'Offboarded', healthStatus: 'Inactive', isolationState: 'NotIsolated', isRestricted: false }, revokeAgent: true };
    default:
      return undefined;
  }
}
