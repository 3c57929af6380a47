import { describe, expect, it } from 'vitest';
import { parseConsoleLine, splitConsoleWords } from './live-console-parse.js';

const ok = (line: string) => {
  const r = parseConsoleLine(line);
  if (!r.ok) throw new Error(`refused ${line}: ${r.message}`);
  return r.line;
};
const refused = (line: string) => {
  const r = parseConsoleLine(line);
  if (r.ok) throw new Error(`accepted ${line}`);
  return r.message;
};

describe('parseConsoleLine', () => {
  it('should split words, keep quoted blanks and lower-case the command only', () => {
    expect(ok('DIR "/tmp/a b"')).toEqual({ command: 'dir', argv: ['/tmp/a b'], background: false, outputFormat: 'table' });
    expect(ok("fileinfo '/etc/host name'").argv).toEqual(['/etc/host name']);
    expect(splitConsoleWords('a  "" b')).toEqual(['a', '', 'b']);
  });

  it('should take -output anywhere and a trailing & as background', () => {
    expect(ok('processes -output json')).toMatchObject({ command: 'processes', argv: [], outputFormat: 'json' });
    expect(ok('findfile *.sh -root /etc &')).toEqual({ command: 'findfile', argv: ['*.sh', '-root', '/etc'], background: true, outputFormat: 'table' });
    expect(ok('run collect.sh -parameters "-v --all"').argv).toEqual(['collect.sh', '-parameters', '-v --all']);
  });

  it('should refuse unknown, Windows-only, malformed and over-long lines with a message that says why', () => {
    expect(refused('rm -rf /')).toMatch(/Unknown command 'rm'/);
    expect(refused('registry')).toMatch(/not available on Linux/);
    expect(refused('kill abc')).toMatch(/not a number/);
    expect(refused('remediate file')).toMatch(/Usage: remediate/);
    expect(refused('cd')).toMatch(/Usage: cd/);
    expect(refused('dir "/tmp')).toMatch(/unclosed " quote/);
    expect(refused('run a.sh -parameters "x; reboot"')).toMatch(/must not contain/);
    expect(refused('processes -pid x')).toMatch(/not a number/);
    expect(refused('putfile a -force')).toMatch(/Unknown option -force/);
    expect(refused('help &')).toMatch(/cannot run in the background/);
    expect(refused('dir -output yaml')).toMatch(/json or table/);
    expect(refused('dir\n/etc')).toMatch(/control characters/);
    expect(refused('   ')).toMatch(/Type a command/);
    expect(refused(`dir ${'a'.repeat(5000)}`)).toMatch(/longer than 4096/);
  });
});
