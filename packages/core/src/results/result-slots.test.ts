import { describe, expect, it } from 'vitest';
import { liveAction } from '../live-response/live-action.fixture.js';
import { reachableResults, resultSlotFor } from './result-slots.js';

const blob = (c: string) => c.repeat(32);
const commands = liveAction([
  { type: 'PutFile', params: [{ key: 'FileName', value: 'tool.sh' }] },
  { type: 'RunScript', params: [{ key: 'ScriptName', value: 'tool.sh' }] },
  { type: 'GetFile', params: [{ key: 'Path', value: '/etc/hostname' }] },
]);
const collect = { ...liveAction([]), type: 'CollectInvestigationPackage' as const };

describe('resultSlotFor', () => {
  it('should give each RunScript and GetFile command its own slot, typed by what it produces', () => {
    expect(resultSlotFor(commands, { commandIndex: '1', contentType: 'application/json' })).toEqual({ ok: true, slot: { slot: 'command-1', kind: 'transcript', label: 'command 1 (RunScript)' } });
    expect(resultSlotFor(commands, { commandIndex: '2', contentType: 'application/octet-stream' })).toEqual({ ok: true, slot: { slot: 'command-2', kind: 'file', label: 'command 2 (GetFile)' } });
    expect(resultSlotFor(collect, { commandIndex: undefined, contentType: 'application/zip' })).toEqual({ ok: true, slot: { slot: 'package', kind: 'package', label: 'the investigation package' } });
  });

  it('should refuse every upload no command produces, saying why', () => {
    const refused = (action: typeof commands, commandIndex: string | undefined, contentType: string) => resultSlotFor(action, { commandIndex, contentType });
    expect(refused(commands, undefined, 'application/json')).toEqual({ ok: false, code: 'BadRequest', message: 'A live response result must name the command it belongs to (its command index)' });
    expect(refused(commands, '0', 'application/octet-stream')).toEqual({ ok: false, code: 'BadRequest', message: 'Command 0 (PutFile) produces no result' });
    for (const index of ['3', '-1', '1.5', 'x', '99999999999']) {
      expect(refused(commands, index, 'application/json')).toEqual({ ok: false, code: 'BadRequest', message: `Action ${commands.id} has commands 0 to 2; ${index} is not one of them` });
    }
    expect(refused(commands, '1', 'application/octet-stream')).toEqual({ ok: false, code: 'BadRequest', message: 'The result for command 1 (RunScript) must be application/json, not application/octet-stream' });
    expect(refused(commands, '2', 'application/zip')).toEqual({ ok: false, code: 'BadRequest', message: 'The result for command 2 (GetFile) must be application/octet-stream, not application/zip' });
    expect(refused(collect, '0', 'application/zip')).toMatchObject({ ok: false, message: `Action ${collect.id} is a CollectInvestigationPackage: its one result, the package, has no command index` });
    expect(refused({ ...commands, type: 'Isolate' }, undefined, 'application/zip')).toEqual({ ok: false, code: 'BadRequest', message: 'Isolate actions produce no result files' });
  });
});

describe('reachableResults', () => {
  it('should keep the results of Completed commands only', () => {
    const ended = {
      ...commands,
      status: 'Failed' as const,
      commands: commands.commands.map((c, i) => ({ ...c, commandStatus: i === 2 ? ('Failed' as const) : ('Completed' as const) })),
      result: { commandResults: [null, { blobId: blob('a') }, { blobId: blob('b') }] },
    };
    expect([...reachableResults(ended)]).toEqual([['command-1', blob('a')]]);
  });

  it('should keep the package of a Succeeded collection only', () => {
    expect([...reachableResults({ ...collect, status: 'Succeeded', result: { blobId: blob('c'), size: 1 } })]).toEqual([['package', blob('c')]]);
    expect([...reachableResults({ ...collect, status: 'Cancelled', result: { blobId: blob('c'), size: 1 } })]).toEqual([]);
  });
});
