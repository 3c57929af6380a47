import { describe, expect, it } from 'vitest';
import {
  ACTION_CATALOG,
  ACTION_MECHANISM,
  ACTION_OPERATION_PERMISSIONS,
  ACTION_RUN_TIMEOUTS_MS,
  MANAGED_ISOLATION_TYPES,
  RESULT_MAX_BYTES,
  actionRequestOf,
  machineEffectOf,
  parametersFromScope,
} from './action-catalog.js';
import { ACTION_TYPES } from './machine-action.js';
import { OPERATION_PERMISSIONS } from './permissions.js';

describe('ACTION_CATALOG', () => {
  it('should have exactly one entry per action type', () => {
    expect(Object.keys(ACTION_CATALOG).sort()).toEqual([...ACTION_TYPES].sort());
  });

  it('should give every type a path segment unique case-insensitively, and a unique operation id', () => {
    const segments = Object.values(ACTION_CATALOG).map((s) => s.segment.toLowerCase());
    expect(new Set(segments).size).toBe(segments.length);
    const operations = Object.values(ACTION_CATALOG).map((s) => s.operation);
    expect(new Set(operations).size).toBe(operations.length);
  });

  it('should answer offboard with 200 and every other action with 201', () => {
    for (const type of ACTION_TYPES) expect([type, ACTION_CATALOG[type].status]).toEqual([type, type === 'Offboard' ? 200 : 201]);
  });

  it('should derive the mechanism, run timeout and permission tables from the entries', () => {
    expect(ACTION_MECHANISM).toEqual({
      Isolate: 'isolation',
      Unisolate: 'isolation',
      RestrictCodeExecution: 'restriction',
      UnrestrictCodeExecution: 'restriction',
      StopAndQuarantineFile: 'quarantine',
      RestoreQuarantinedFile: 'quarantine',
      Offboard: 'device',
      RunAntiVirusScan: null,
      LiveResponse: null,
      CollectInvestigationPackage: null,
    });
    expect(ACTION_RUN_TIMEOUTS_MS.RunAntiVirusScan).toBe(24 * 3_600_000);
    expect(ACTION_RUN_TIMEOUTS_MS.LiveResponse).toBe(4 * 3_600_000);
    for (const spec of Object.values(ACTION_CATALOG)) expect(OPERATION_PERMISSIONS[spec.operation]).toBe(spec.permissions);
    expect(Object.keys(ACTION_OPERATION_PERMISSIONS)).toHaveLength(ACTION_TYPES.length);
    expect(OPERATION_PERMISSIONS.stopAndQuarantineFile).toEqual({ app: [['Machine.StopAndQuarantine'], ['Machine.Read.All', 'Machine.ReadWrite.All']], delegated: [['Machine.StopAndQuarantine']] });
  });

  it('should cap GetFile results at 3 GB and let only packages and live responses upload results', () => {
    expect(RESULT_MAX_BYTES.file).toBe(3 * 1024 ** 3);
    const uploading = ACTION_TYPES.filter((t) => ACTION_CATALOG[t].results.length > 0);
    expect(uploading.sort()).toEqual(['CollectInvestigationPackage', 'LiveResponse']);
  });
});

describe('machineEffectOf', () => {
  it.each([
    ['Isolate', { IsolationType: 'Full' }, { isolationState: 'Isolated' }],
    ['Isolate', { IsolationType: 'Selective' }, { isolationState: 'SelectivelyIsolated' }],
    ['Unisolate', {}, { isolationState: 'NotIsolated' }],
    ['RestrictCodeExecution', {}, { isRestricted: true }],
    ['UnrestrictCodeExecution', {}, { isRestricted: false }],
    ['Offboard', {}, { onboardingStatus: 'Offboarded', healthStatus: 'Inactive', isolationState: 'NotIsolated', isRestricted: false }],
    ['RunAntiVirusScan', { ScanType: 'Full' }, {}],
    ['StopAndQuarantineFile', { Sha1: 'a'.repeat(40) }, {}],
    ['CollectInvestigationPackage', {}, {}],
    ['LiveResponse', {}, {}],
  ] as const)('should map a Succeeded %s with %j to %j', (type, parameters, effect) => {
    expect(machineEffectOf(type, parameters)).toEqual(effect);
  });

  it('should read the same effect from a wire action scope as from the stored parameters', () => {
    expect(machineEffectOf('Isolate', parametersFromScope('Isolate', 'Selective'))).toEqual({ isolationState: 'SelectivelyIsolated' });
    expect(parametersFromScope('Unisolate', null)).toEqual({});
  });
});

describe('actionRequestOf', () => {
  it('should default isolation to Full and store the type as scope and parameter', () => {
    expect(actionRequestOf('Isolate', { Comment: 'c' })).toEqual({ ok: true, request: { scope: 'Full', parameters: { IsolationType: 'Full' } } });
    expect(actionRequestOf('Isolate', { Comment: 'c', IsolationType: 'Selective' })).toEqual({ ok: true, request: { scope: 'Selective', parameters: { IsolationType: 'Selective' } } });
  });

  it('should refuse UnManagedDevice isolation of a managed device, and the CLI choices leave it out', () => {
    expect(actionRequestOf('Isolate', { Comment: 'c', IsolationType: 'UnManagedDevice' })).toEqual({
      ok: false,
      code: 'InvalidRequestBody',
      message: "IsolationType 'UnManagedDevice' applies only to devices without an agent; use 'Full' or 'Selective'",
    });
    expect(MANAGED_ISOLATION_TYPES).toEqual(['Full', 'Selective']);
  });

  it('should lower-case a SHA-1 into parameters and relatedFileInfo', () => {
    expect(actionRequestOf('RestoreQuarantinedFile', { Comment: 'c', Sha1: 'AB'.repeat(20) })).toEqual({
      ok: true,
      request: { parameters: { Sha1: 'ab'.repeat(20) }, relatedFileInfo: { fileIdentifier: 'ab'.repeat(20), fileIdentifierType: 'Sha1' } },
    });
  });

  it('should store nothing beyond the comment for comment-only actions', () => {
    expect(actionRequestOf('Offboard', { Comment: 'c' })).toEqual({ ok: true, request: {} });
    expect(actionRequestOf('RunAntiVirusScan', { Comment: 'c', ScanType: 'Quick' })).toEqual({ ok: true, request: { scope: 'Quick', parameters: { ScanType: 'Quick' } } });
  });
});
