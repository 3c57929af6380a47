import { describe, expect, it } from 'vitest';
import { splitArgs } from './args.js';
import { parseCommands } from './commands.js';
import { chooseInterpreter } from './interpreter.js';

describe(splitArgs.name, () => {
  it.each([
    ['', []],
    ['  a  b\tc ', ['a', 'b', 'c']],
    [`"two words" 'single "quoted"'`, ['two words', 'single "quoted"']],
    [String.raw`"say \"hi\" \\ \n"`, [String.raw`say "hi" \ \n`]],
    [String.raw`a\ b c\'d`, ['a b', "c'd"]],
    [`x"y z"'w' '' ""`, ['xy zw', '', '']],
    ['--path=/var/log/*.log -n 10', ['--path=/var/log/*.log', '-n', '10']],
  ])('should split %j', (input, argv) => {
    expect(splitArgs(input)).toEqual({ ok: true, argv });
  });

  it.each([
    ['a; rm -rf /', 'Args must not contain ; & | ! $ ` (found ;)'],
    ['"$(id)"', 'Args must not contain ; & | ! $ ` (found $)'],
    ["'a && b'", 'Args must not contain ; & | ! $ ` (found &)'],
    ['`id`', 'Args must not contain ; & | ! $ ` (found `)'],
    ['a | b', 'Args must not contain ; & | ! $ ` (found |)'],
    ['hi!', 'Args must not contain ; & | ! $ ` (found !)'],
    ['"open', 'Args has an unterminated double quote'],
    ["'open", 'Args has an unterminated single quote'],
    ['end\\', 'Args ends with a lone backslash'],
  ])('should refuse %j', (input, error) => {
    expect(splitArgs(input)).toEqual({ ok: false, error });
  });
});

describe(chooseInterpreter.name, () => {
  it('should choose by extension, then by #! line', () => {
    expect(chooseInterpreter('a.sh', '')).toEqual({ ok: true, argv: ['/bin/sh'] });
    expect(chooseInterpreter('a.PY', '')).toEqual({ ok: true, argv: ['python3'] });
    expect(chooseInterpreter('a.ps1', '')).toEqual({ ok: true, argv: ['pwsh', '-NoLogo', '-NoProfile', '-NonInteractive', '-File'] });
    expect(chooseInterpreter('tool', '#!/usr/bin/env python3 -u\nprint(1)')).toEqual({ ok: true, argv: ['/usr/bin/env', 'python3 -u'] });
    expect(chooseInterpreter('tool', '#!/bin/bash\n')).toEqual({ ok: true, argv: ['/bin/bash'] });
    expect(chooseInterpreter('tool.exe', 'MZ')).toMatchObject({ ok: false, error: expect.stringContaining('cannot tell how to run tool.exe') });
  });
});

const cmd = (type: string, params: Record<string, string> = {}) => ({ type, params: Object.entries(params).map(([key, value]) => ({ key, value })) });

describe(parseCommands.name, () => {
  it('should accept PutFile* RunScript* GetFile* with repetitions', () => {
    const parsed = parseCommands({
      Commands: [cmd('PutFile', { FileName: 'a.sh' }), cmd('PutFile', { FileName: 'b.txt' }), cmd('RunScript', { ScriptName: 'a.sh', Args: '-v "x y"' }), cmd('RunScript', { ScriptName: 'c.py' }), cmd('GetFile', { Path: '/var/log/syslog' })],
    });
    expect(parsed).toEqual({
      ok: true,
      steps: [
        { type: 'PutFile', fileName: 'a.sh' },
        { type: 'PutFile', fileName: 'b.txt' },
        { type: 'RunScript', scriptName: 'a.sh', args: ['-v', 'x y'] },
        { type: 'RunScript', scriptName: 'c.py', args: [] },
        { type: 'GetFile', path: '/var/log/syslog' },
      ],
    });
  });

  it.each([
    [{}, 'Commands must be a non-empty array'],
    [{ Commands: [] }, 'Commands must be a non-empty array'],
    [{ Commands: [cmd('Shell')] }, 'Commands[0].type must be PutFile, RunScript or GetFile'],
    [{ Commands: [cmd('RunScript', { ScriptName: 'a.sh' }), cmd('PutFile', { FileName: 'b' })] }, 'Commands[1]: commands must be ordered PutFile, then RunScript, then GetFile'],
    [{ Commands: [cmd('GetFile', { Path: '/x' }), cmd('RunScript', { ScriptName: 'a.sh' })] }, 'Commands[1]: commands must be ordered PutFile, then RunScript, then GetFile'],
    [{ Commands: [cmd('PutFile')] }, 'Commands[0]: FileName is required'],
    [{ Commands: [cmd('PutFile', { FileName: '../etc/passwd' })] }, "Commands[0]: FileName may contain only letters, digits, '.', '_' and '-'"],
    [{ Commands: [cmd('RunScript', { ScriptName: 'a b.sh' })] }, "Commands[0]: ScriptName may contain only letters, digits, '.', '_' and '-'"],
    [{ Commands: [cmd('RunScript', { ScriptName: 'a.sh', Args: 'x; y' })] }, 'Commands[0]: Args must not contain ; & | ! $ ` (found ;)'],
    [{ Commands: [cmd('GetFile', { Path: 'relative/file' })] }, 'Commands[0]: Path must be an absolute path'],
    [{ Commands: [cmd('GetFile')] }, 'Commands[0]: Path is required'],
    [{ Commands: [{ type: 'GetFile', params: [{ key: 'Path', value: 1 }] }] }, 'Commands[0].params must be an array of { key, value } strings'],
  ])('should refuse %j', (params, error) => {
    expect(parseCommands(params)).toEqual({ ok: false, error });
  });
});
