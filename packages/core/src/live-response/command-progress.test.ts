import { describe, expect, it } from 'vitest';
import { cancelOpenCommands, commandReportsIn, commandReportsInOutcome, mergeCommandReports } from './command-progress.js';
import { liveAction } from './live-action.fixture.js';

const blob = { blobId: 'a'.repeat(32), size: 5, sha256: 'f'.repeat(64) };
const cmds = () =>
  liveAction([
    { type: 'PutFile', params: [{ key: 'FileName', value: 'p' }] },
    { type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] },
  ]);

describe('mergeCommandReports', () => {
  it('should fold a start and an end report of the executor into commands[] and commandResults', () => {
    const action = cmds();
    const started = mergeCommandReports(action, commandReportsIn({ commandIndex: 1, commandStatus: 'InProgress', startTime: '2026-01-01T00:00:00.000Z', endTime: null, errors: [], result: null }));
    expect(started.commands![1]).toMatchObject({ commandStatus: 'InProgress', startTime: '2026-01-01T00:00:00.0000000Z', endTime: null });
    const ended = mergeCommandReports({ ...action, ...started }, commandReportsIn({ commandIndex: 1, commandStatus: 'Completed', startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:00:02.500Z', errors: [], result: blob }));
    expect(ended.commands![1]).toEqual({ ...action.commands[1], commandStatus: 'Completed', startTime: '2026-01-01T00:00:00.0000000Z', endTime: '2026-01-01T00:00:02.5000000Z', errors: [] });
    expect(ended.result).toEqual({ commandResults: [null, blob] });
  });

  it('should never move a final command back, whatever order reports arrive in', () => {
    const action = cmds();
    const done = mergeCommandReports(action, commandReportsIn({ commandIndex: 0, commandStatus: 'Failed', startTime: null, endTime: '2026-01-01T00:00:01Z', errors: ['boom'] }));
    const late = mergeCommandReports({ ...action, ...done }, commandReportsIn({ commandIndex: 0, commandStatus: 'Created', startTime: '2026-01-01T00:00:00Z', endTime: null, errors: [] }));
    expect(late.commands![0]).toMatchObject({ commandStatus: 'Failed', errors: ['boom'] });
  });

  it("should read an older agent's start report (Created with a start time) as InProgress, and never go back to Created", () => {
    const action = cmds();
    const started = mergeCommandReports(action, commandReportsIn({ commandIndex: 0, commandStatus: 'Created', startTime: '2026-01-01T00:00:00Z', endTime: null, errors: [] }));
    expect(started.commands![0]!.commandStatus).toBe('InProgress');
    const stale = mergeCommandReports({ ...action, ...started }, commandReportsIn({ commandIndex: 0, commandStatus: 'Created', startTime: null, endTime: null, errors: [] }));
    expect(stale.commands![0]).toMatchObject({ commandStatus: 'InProgress', startTime: '2026-01-01T00:00:00.0000000Z' });
  });

  it('should refuse a Cancelled report from an agent: only a cancel sets it', () => {
    expect(commandReportsIn({ commandIndex: 0, commandStatus: 'Cancelled', startTime: null, endTime: null, errors: [] })).toEqual([]);
  });

  it('should cancel the commands not final yet and keep the outcome of finished ones', () => {
    const action = cmds();
    const c = [
      { ...action.commands[0]!, commandStatus: 'Completed' as const, startTime: 'S0', endTime: 'E0' },
      { ...action.commands[1]!, commandStatus: 'InProgress' as const, startTime: 'S1' },
      { ...action.commands[1]!, index: 2 },
    ];
    expect(cancelOpenCommands(c, 'NOW').map((x) => [x.commandStatus, x.startTime, x.endTime])).toEqual([
      ['Completed', 'S0', 'E0'],
      ['Cancelled', 'S1', 'NOW'],
      ['Cancelled', null, null],
    ]);
    const late = mergeCommandReports({ ...action, commands: cancelOpenCommands(action.commands, 'NOW') }, commandReportsIn({ commandIndex: 0, commandStatus: 'Completed', startTime: null, endTime: null, errors: [] }));
    expect(late.commands![0]!.commandStatus).toBe('Cancelled');
  });

  it('should ignore indexes the action does not have and malformed reports', () => {
    const action = cmds();
    expect(mergeCommandReports(action, commandReportsIn({ commandIndex: 7, commandStatus: 'Completed' })).commands).toEqual(action.commands);
    expect(commandReportsIn({ commandIndex: 0, commandStatus: 'Done' })).toEqual([]);
    expect(commandReportsIn({ commandIndex: 0, commandStatus: 'Completed', result: { blobId: 'nope' } })[0]!.result).toBeNull();
  });

  it('should read the final states and results from a finish outcome', () => {
    const outcome = {
      commands: [
        { index: 0, commandStatus: 'Completed', startTime: '2026-01-01T00:00:00Z', endTime: '2026-01-01T00:00:01Z', errors: [] },
        { index: 1, commandStatus: 'Completed', startTime: '2026-01-01T00:00:01Z', endTime: '2026-01-01T00:00:02Z', errors: [] },
      ],
      results: [null, { ...blob, exitCode: 0 }],
    };
    const merged = mergeCommandReports(cmds(), commandReportsInOutcome(outcome));
    expect(merged.commands!.map((c) => c.commandStatus)).toEqual(['Completed', 'Completed']);
    expect(merged.result).toEqual({ commandResults: [null, blob] });
  });
});
