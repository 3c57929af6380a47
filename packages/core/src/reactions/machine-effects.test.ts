import { describe, expect, it } from 'vitest';
import { ACTION_TYPES } from '@cordon/protocol';
import { machineEffectOfSucceeded } from './machine-effects.js';

describe('machineEffectOfSucceeded', () => {
  it('should isolate fully unless the isolation is Selective', () => {
    expect(machineEffectOfSucceeded({ type: 'Isolate', parameters: { IsolationType: 'Full' } })).toEqual({ patch: { isolationState: 'Isolated' }, revokeAgent: false });
    expect(machineEffectOfSucceeded({ type: 'Isolate', parameters: {} })).toEqual({ patch: { isolationState: 'Isolated' }, revokeAgent: false });
    expect(machineEffectOfSucceeded({ type: 'Isolate', parameters: { IsolationType: 'Selective' } })).toEqual({ patch: { isolationState: 'SelectivelyIsolated' }, revokeAgent: false });
  });

  it('should undo isolation and set or clear the restriction', () => {
    expect(machineEffectOfSucceeded({ type: 'Unisolate', parameters: {} })?.patch).toEqual({ isolationState: 'NotIsolated' });
    expect(machineEffectOfSucceeded({ type: 'RestrictCodeExecution', parameters: {} })?.patch).toEqual({ isRestricted: true });
    expect(machineEffectOfSucceeded({ type: 'UnrestrictCodeExecution', parameters: {} })?.patch).toEqual({ isRestricted: false });
  });

  it('should offboard the machine, clear its containment and revoke its agent', () => {
    expect(machineEffectOfSucceeded({ type: 'Offboard', parameters: {} })).toEqual({
      patch: { onboardingStatus: 'Offboarded', healthStatus: 'Inactive', isolationState: 'NotIsolated', isRestricted: false },
      revokeAgent: true,
    });
  });

  it('should leave the machine alone for every other type', () => {
    const withEffect = ['Isolate', 'Unisolate', 'RestrictCodeExecution', 'UnrestrictCodeExecution', 'Offboard'];
    for (const type of ACTION_TYPES.filter((t) => !withEffect.includes(t))) expect(machineEffectOfSucceeded({ type, parameters: {} })).toBeUndefined();
  });
});
