import { describe, expect, it } from 'vitest';
import type { LiveSession, LiveSessionCommand, LiveSessionEvent } from '@cordon/protocol';
import { applyConsoleEvent, completeLine, EMPTY_CONSOLE, foregroundCommand, tableAsJson, visibleEntries, type ConsoleState } from './console-state.js';

const session = (patch: Partial<LiveSession> = {}): LiveSession => ({
  id: 's1',
  machineId: 'm1',
  computerDnsName: 'host',
  openedBy: 'erin',
  state: 'Active',
  currentDirectory: '/',
  creationDateTimeUtc: '2026-12-04T01:00:00.0000000Z',
  lastActivityDateTimeUtc: '2026-12-04T01:00:00.0000000Z',
  closedDateTimeUtc: null,
  closeReason: null,
  ...patch,
});

const command = (id: number, commandLine: string, patch: Partial<LiveSessionCommand> = {}): LiveSessionCommand => ({
  id,
  commandLine,
  command: commandLine.split(' ')[0]!,
  requestor: 'erin',
  background: false,
  outputFormat: 'table',
  status: 'Running',
  exitCode: null,
  errors: [],
  startDateTimeUtc: '2026-12-04T01:00:01.0000000Z',
  endDateTimeUtc: null,
  machineActionId: null,
  resultFile: null,
  outputTruncated: false,
  ...patch,
});

const feed = (events: LiveSessionEvent[], from: ConsoleState = EMPTY_CONSOLE) => events.reduce(applyConsoleEvent, from);

describe('applyConsoleEvent', () => {
  it('should append output chunks in order and keep them when the command changes status', () => {
    const state = feed([
      { event: 'command', data: command(1, 'processes') },
      { event: 'output', data: { commandId: 1, text: 'PID ' } },
      { event: 'output', data: { commandId: 1, text: 'CMD\n' } },
      { event: 'command', data: command(1, 'processes', { status: 'Completed', exitCode: 0 }) },
    ]);
    expect(visibleEntries(state)).toEqual([{ command: command(1, 'processes', { status: 'Completed', exitCode: 0 }), output: 'PID CMD\n' }]);
  });

  it('should keep a command\'s end when the POST\'s Running answer arrives after it', () => {
    const state = feed([
      { event: 'command', data: command(1, 'help', { status: 'Completed' }) },
      { event: 'command', data: command(1, 'help') },
    ]);
    expect(visibleEntries(state)[0]!.command.status).toBe('Completed');
  });

  it('should hide what came before a cls, and show what follows it', () => {
    const state = feed([
      { event: 'command', data: command(1, 'dir', { status: 'Completed' }) },
      { event: 'command', data: command(2, 'cls', { status: 'Completed' }) },
      { event: 'command', data: command(3, 'help', { status: 'Completed' }) },
    ]);
    expect(visibleEntries(state).map((e) => e.command.id)).toEqual([3]);
  });

  it('should remember the paths a dir listed, under the directory it listed', () => {
    const state = feed([
      { event: 'session', data: session({ currentDirectory: '/etc' }) },
      { event: 'command', data: command(1, 'dir ssh') },
      { event: 'data', data: { commandId: 1, columns: ['name', 'type', 'size'], rows: [['sshd_config', 'file', 10], ['moduli', 'file', 5]] } },
    ]);
    expect(state.paths).toEqual(['/etc/ssh/moduli', '/etc/ssh/sshd_config']);
  });

  it('should name the newest running foreground command as what Ctrl-C cancels, never a background one', () => {
    const state = feed([
      { event: 'command', data: command(1, 'findfile x') },
      { event: 'command', data: command(2, 'findfile y &', { background: true }) },
    ]);
    expect(foregroundCommand(state)?.id).toBe(1);
    expect(foregroundCommand(feed([{ event: 'command', data: command(1, 'findfile x', { status: 'Cancelled' }) }], state))).toBeUndefined();
  });

  it('should take a background command brought forward with fg as what Ctrl-C cancels', () => {
    const state = feed([
      { event: 'command', data: command(1, 'findfile y &', { background: true }) },
      { event: 'command', data: command(2, 'findfile x') },
      { event: 'command', data: command(3, 'fg 1', { status: 'Completed' }) },
    ]);
    expect(foregroundCommand(state)?.id).toBe(1);
  });
});

describe('completeLine', () => {
  const sources = { paths: ['/etc/hostname', '/etc/hosts', '/var/log/syslog'], library: ['collect.sh', 'cleanup.sh', 'tool.bin'], cwd: '/etc' };

  it('should complete a command name and add a space', () => {
    expect(completeLine('proc', sources)).toEqual({ line: 'processes ', candidates: [] });
  });

  it('should extend to the common prefix and list the candidates when several match', () => {
    expect(completeLine('fileinfo /etc/ho', sources)).toEqual({ line: 'fileinfo /etc/host', candidates: ['/etc/hostname', '/etc/hosts'] });
  });

  it('should complete a name relative to the current directory', () => {
    expect(completeLine('getfile hostn', sources)).toEqual({ line: 'getfile hostname', candidates: [] });
  });

  it('should complete library file names after putfile and run', () => {
    expect(completeLine('run co', sources)).toEqual({ line: 'run collect.sh', candidates: [] });
    expect(completeLine('putfile c', sources)).toEqual({ line: 'putfile c', candidates: ['cleanup.sh', 'collect.sh'] });
  });

  it('should leave the line as it is when nothing matches', () => {
    expect(completeLine('zzz', sources)).toEqual({ line: 'zzz', candidates: [] });
  });
});

describe('tableAsJson', () => {
  it('should print one object per row keyed by column', () => {
    expect(JSON.parse(tableAsJson({ columns: ['pid', 'name'], rows: [[1, 'init']] }))).toEqual([{ pid: 1, name: 'init' }]);
  });
});
