import { describe, expect, it } from 'vitest';
import type { MachineAction } from '@cordon/protocol';
import { actionSteps, failureReason } from './action-steps.js';
import { resultLines } from './components/action-result.js';

const base = {
  id: 'a1',
  type: 'RunAntiVirusScan',
  requestor: 'Erin',
  requestorComment: 'check it',
  machineId: 'm1',
  computerDnsName: 'web-1',
  creationDateTimeUtc: '2026-12-03T09:00:00.0000000Z',
  lastUpdateDateTimeUtc: '2026-12-03T09:05:00.0000000Z',
  cancellationRequestor: null,
  cancellationComment: null,
  cancellationDateTimeUtc: null,
  commands: [],
  errorMessage: null,
  result: null,
} as unknown as MachineAction;

describe('action steps', () => {
  it('should show a Pending action waiting for the device', () => {
    const steps = actionSteps({ ...base, status: 'Pending' });
    expect(steps.map((s) => [s.key, s.state])).toEqual([
      ['submitted', 'done'],
      ['pickedUp', 'current'],
      ['running', 'waiting'],
      ['finished', 'waiting'],
    ]);
    expect(steps[0]!.detail).toBe('by Erin: “check it”');
  });
  it('should say who cancelled a waiting action and why, and that it never reached the device', () => {
    const steps = actionSteps({ ...base, status: 'Cancelled', cancellationRequestor: 'Sam', cancellationComment: 'wrong host', cancellationDateTimeUtc: '2026-12-03T09:01:00.0000000Z' });
    expect(steps.map((s) => s.state)).toEqual(['done', 'skipped', 'skipped', 'failed']);
    expect(steps[3]).toMatchObject({ label: 'Cancelled', time: '2026-12-03T09:01:00.0000000Z', detail: 'by Sam: “wrong host”' });
  });
  it('should give the failure reason of a failed action and a timed-out one', () => {
    const failed = { ...base, status: 'Failed', errorMessage: 'Agent refused the action (Superseded)' } as MachineAction;
    expect(actionSteps(failed)[3]).toMatchObject({ label: 'Failed', state: 'failed', detail: 'Agent refused the action (Superseded)' });
    expect(failureReason(failed)).toBe('Agent refused the action (Superseded)');
    expect(failureReason({ ...base, status: 'TimeOut' })).toBe('No device took the action before it expired');
    expect(failureReason({ ...base, status: 'Succeeded' })).toBeUndefined();
  });
});

describe('result summary', () => {
  it('should count scan findings and scanned files, without ids', () => {
    const lines = resultLines({ ...base, status: 'Succeeded', result: { detectionCount: 2, scannedFiles: 1200, durationMs: 4200, detections: [], blobId: 'b1' } });
    expect(lines).toEqual(['2 threats found', '1,200 files scanned in 4 s']);
    expect(resultLines({ ...base, status: 'Succeeded', result: { detectionCount: 0, scannedFiles: 1 } })).toEqual(['No threats found', '1 file scanned']);
  });
  it('should describe a package by size and a live response by its commands', () => {
    expect(resultLines({ ...base, type: 'CollectInvestigationPackage', status: 'Succeeded', result: { blobId: 'x', size: 2_500_000, collectors: 9, failed: [] } })).toEqual(['Package of 2.4 MB from 9 collectors']);
    const commands = [{ commandStatus: 'Completed' }, { commandStatus: 'Failed' }] as MachineAction['commands'];
    expect(resultLines({ ...base, type: 'LiveResponse', status: 'Failed', commands })).toEqual(['1 of 2 commands completed']);
  });
});
