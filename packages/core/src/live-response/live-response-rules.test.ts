import { describe, expect, it } from 'vitest';
import type { LiveResponseCommand } from '@cordon/protocol';
import { liveAction } from './live-action.fixture.js';
import { checkLiveResponseCommands, commandResultOf, commandResultsOf, packageResultOf, servedCommands } from './live-response-rules.js';

const put = (name: string): LiveResponseCommand => ({ type: 'PutFile', params: [{ key: 'FileName', value: name }] });
const run = (name: string, args?: string): LiveResponseCommand => ({ type: 'RunScript', params: [{ key: 'ScriptName', value: name }, ...(args === undefined ? [] : [{ key: 'Args', value: args }])] });
const get = (path: string): LiveResponseCommand => ({ type: 'GetFile', params: [{ key: 'Path', value: path }] });


describe('checkLiveResponseCommands', () => {
  it('should accept the documented order with repeats and list the library files once', () => {
    expect(checkLiveResponseCommands([put('a.sh'), put('b.bin'), run('a.sh', '-x 1'), run('c.py'), get('/etc/hosts'), get('/tmp/x')])).toEqual({ ok: true, libraryFiles: ['a.sh', 'b.bin', 'c.py'] });
  });

  it.each([
    [[run('a.sh'), put('b')], 'Commands[1] (PutFile) is out of order: commands must be ordered PutFile, then RunScript, then GetFile'],
    [[get('/x'), run('a.sh')], 'Commands[1] (RunScript) is out of order: commands must be ordered PutFile, then RunScript, then GetFile'],
    [[get('/x'), put('a')], 'Commands[1] (PutFile) is out of order: commands must be ordered PutFile, then RunScript, then GetFile'],
  ])('should refuse commands out of order %#', (commands, message) => {
    expect(checkLiveResponseCommands(commands)).toEqual({ ok: false, code: 'InvalidRequestBody', message });
  });

  it('should name the command index of a missing parameter', () => {
    expect(checkLiveResponseCommands([put('a'), { type: 'RunScript', params: [] }])).toEqual({ ok: false, code: 'MissingRequiredParameter', message: 'Commands[1] (RunScript): parameter ScriptName is missing' });
    expect(checkLiveResponseCommands([{ type: 'GetFile', params: [{ key: 'Path', value: '' }] }])).toEqual({ ok: false, code: 'MissingRequiredParameter', message: 'Commands[0] (GetFile): parameter Path is missing' });
  });

  it('should refuse a wrong-case or foreign parameter key', () => {
    expect(checkLiveResponseCommands([{ type: 'PutFile', params: [{ key: 'filename', value: 'a' }] }])).toEqual({
      ok: false,
      code: 'InvalidRequestBody',
      message: "Commands[0] (PutFile): unknown parameter 'filename' (expected FileName; names are case-sensitive)",
    });
  });

  it('should refuse a repeated parameter, a bad library name, forbidden Args characters and NUL in a path', () => {
    expect(checkLiveResponseCommands([{ type: 'PutFile', params: [{ key: 'FileName', value: 'a' }, { key: 'FileName', value: 'b' }] }])).toMatchObject({ ok: false, message: "Commands[0] (PutFile): parameter 'FileName' is given more than once" });
    expect(checkLiveResponseCommands([put('../etc/passwd')])).toMatchObject({ ok: false, code: 'InvalidRequestBody', message: expect.stringContaining('Commands[0] (PutFile): Invalid file name') });
    expect(checkLiveResponseCommands([run('a.sh', 'x; rm -rf /')])).toMatchObject({ ok: false, message: 'Commands[0] (RunScript): Args must not contain ; & | ! $ ` (found ;)' });
    expect(checkLiveResponseCommands([get('/a\0b')])).toMatchObject({ ok: false, message: 'Commands[0] (GetFile): Path must not contain NUL characters' });
  });
});

describe('commandResultOf', () => {
  const blob = { blobId: 'a'.repeat(32), size: 3, sha256: 'b'.repeat(64) };
  const action = liveAction([put('p'), run('s.sh'), get('/x'), get('/y')], {
    result: { commandResults: [null, blob, null, null] },
  });
  action.commands[0]!.commandStatus = 'Completed';
  action.commands[1]!.commandStatus = 'Completed';
  action.commands[2]!.commandStatus = 'Failed';

  it('should serve the uploaded result of a completed command', () => {
    expect(commandResultOf(action, 1)).toMatchObject({ ok: true, result: blob });
  });

  it('should say PutFile produces no result', () => {
    expect(commandResultOf(action, 0)).toEqual({ ok: false, code: 'ResourceNotFound', message: 'Command PutFile at index 0 produces no result' });
  });

  it('should say a failed or unfinished command has no result', () => {
    expect(commandResultOf(action, 2)).toEqual({ ok: false, code: 'ResourceNotFound', message: 'Command GetFile at index 2 has no result: its status is Failed' });
    expect(commandResultOf(action, 3)).toEqual({ ok: false, code: 'ResourceNotFound', message: 'Command GetFile at index 3 has no result: its status is Created (not completed yet)' });
    const running = { ...action, commands: action.commands.map((c, i) => (i === 3 ? { ...c, commandStatus: 'InProgress' as const } : c)) };
    expect(commandResultOf(running, 3)).toMatchObject({ message: 'Command GetFile at index 3 has no result: its status is InProgress (not completed yet)' });
  });

  it('should refuse an index out of range as InvalidInput', () => {
    expect(commandResultOf(action, 4)).toEqual({ ok: false, code: 'InvalidInput', message: 'Invalid input index=4: the action has commands 0 to 3' });
    expect(commandResultOf(action, -1)).toMatchObject({ ok: false, code: 'InvalidInput' });
  });

  it('should refuse an action of another type', () => {
    expect(commandResultOf({ ...action, type: 'Isolate' }, 0)).toMatchObject({ ok: false, code: 'ResourceNotFound' });
  });
});

describe('servedCommands', () => {
  const getFile = (path: string): LiveResponseCommand => ({ type: 'GetFile', params: [{ key: 'Path', value: path }] });
  const running = () => {
    const a = liveAction([getFile('/a'), getFile('/b'), getFile('/c')]);
    a.commands[0] = { ...a.commands[0]!, commandStatus: 'Completed', startTime: 'S0', endTime: 'E0' };
    a.commands[1] = { ...a.commands[1]!, commandStatus: 'InProgress', startTime: 'S1' };
    return a;
  };

  it('should serve the stored commands while the action is not cancelled', () => {
    const a = running();
    expect(servedCommands({ ...a, status: 'InProgress' })).toBe(a.commands);
    expect(servedCommands({ ...a, status: 'Failed' }).map((c) => c.commandStatus)).toEqual(['Completed', 'InProgress', 'Created']);
  });

  it('should read the unfinished commands of a cancelled action as Cancelled, the running one ending at the cancellation', () => {
    const served = servedCommands({ ...running(), status: 'Cancelled', cancellationDateTimeUtc: 'C' });
    expect(served.map((c) => [c.commandStatus, c.startTime, c.endTime])).toEqual([
      ['Completed', 'S0', 'E0'],
      ['Cancelled', 'S1', 'C'],
      ['Cancelled', null, null],
    ]);
  });

  it('should say a cancelled command has no result', () => {
    expect(commandResultOf({ ...running(), status: 'Cancelled', cancellationDateTimeUtc: 'C' }, 1)).toMatchObject({ ok: false, message: 'Command GetFile at index 1 has no result: its status is Cancelled' });
  });
});

describe('packageResultOf', () => {
  it('should read the executor output or a package entry, and nothing else', () => {
    const blobId = 'c'.repeat(32);
    expect(packageResultOf({ result: { blobId, size: 10, sha256: 'd', collectors: 3 } })).toEqual({ blobId, size: 10, sha256: 'd' });
    expect(packageResultOf({ result: { package: { blobId } } })).toEqual({ blobId });
    expect(packageResultOf({ result: null })).toBeNull();
    expect(packageResultOf({ result: { blobId: '../etc' } })).toBeNull();
  });
});

describe('commandResultsOf', () => {
  it("should fall back to the executor's final results when progress reports were lost", () => {
    const blobId = 'e'.repeat(32);
    const action = liveAction([{ type: 'GetFile', params: [{ key: 'Path', value: '/x' }] }], { result: { commands: [], results: [{ blobId, size: 1, sha256: 'f', name: 'x', path: '/x' }] } });
    expect(commandResultsOf(action)).toEqual([{ blobId, size: 1, sha256: 'f', name: 'x' }]);
  });
});
