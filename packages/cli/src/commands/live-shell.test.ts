/**
 * `cordon live shell` piped, as a process, against a scripted server that plays the session routes
 * (the real server and agent: e2e/cli-live-shell.test.ts). Checks the order of what is printed,
 * exit codes, --json, background commands, and that the session is always closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { mdeError, startFakeServer, type FakeReply, type FakeServer } from '@cordon/api-client/testing';
import type { LiveSessionCommand } from '@cordon/protocol';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const CLI = ['--import', 'tsx', '--import', join(ROOT, 'e2e/support/register.mjs'), join(ROOT, 'packages/cli/src/main.ts')];

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A session whose commands end as the table below says; events are served long-poll style. */
function consoleServer() {
  const events: string[] = [];
  const waiters: (() => void)[] = [];
  const outputs = new Map<number, string>();
  const state = { closed: false, opened: 0, background: [] as LiveSessionCommand[] };
  const session = (s: 'Active' | 'Closed') => ({ id: 's1', machineId: 'm1', computerDnsName: 'web01', openedBy: 'app', state: s, currentDirectory: '/', creationDateTimeUtc: 'x', lastActivityDateTimeUtc: 'x', closedDateTimeUtc: null, closeReason: s === 'Closed' ? 'ClosedByUser' : null });
  const emit = (event: string, data: unknown) => {
    events.push(`id: ${events.length + 1}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    for (const w of waiters.splice(0)) w();
  };
  const command = (id: number, commandLine: string, patch: Partial<LiveSessionCommand> = {}): LiveSessionCommand => ({
    id, commandLine, command: commandLine.split(' ')[0]!, requestor: 'app', background: commandLine.endsWith('&'), outputFormat: commandLine.includes('-output json') ? 'json' : 'table',
    status: 'Running', exitCode: null, errors: [], startDateTimeUtc: 'x', endDateTimeUtc: null, machineActionId: null, resultFile: null, outputTruncated: false, ...patch,
  });
  let next = 1;
  const end = (c: LiveSessionCommand, output: string, patch: Partial<LiveSessionCommand>, table?: { columns: string[]; rows: unknown[][] }) => {
    outputs.set(c.id, output);
    if (output) emit('output', { commandId: c.id, text: output });
    if (table) emit('data', { commandId: c.id, ...table });
    emit('command', { ...c, ...patch });
  };
  const handler = async (req: { method: string; url: string; headers: Record<string, unknown>; body: Buffer }): Promise<FakeReply> => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/api/machines/web01') return { body: { id: 'm1', computerDnsName: 'web01' } };
    if (url.pathname === '/api/cordon/liveresponse/sessions' && req.method === 'POST') {
      state.opened++;
      return { status: 201, body: session('Active') };
    }
    if (url.pathname === '/api/cordon/liveresponse/sessions/s1' && req.method === 'DELETE') {
      state.closed = true;
      emit('session', session('Closed'));
      return { status: 204 };
    }
    if (url.pathname.endsWith('/events')) {
      const after = Number(req.headers['last-event-id'] ?? 0);
      if (events.length <= after && !state.closed) await new Promise<void>((r) => waiters.push(r));
      return { headers: { 'content-type': 'text/event-stream' }, body: events.slice(after).join('') };
    }
    const out = /\/commands\/(\d+)\/output$/.exec(url.pathname);
    if (out) return { headers: { 'content-type': 'text/plain' }, body: outputs.get(Number(out[1])) ?? '' };
    if (url.pathname === '/api/cordon/liveresponse/sessions/s1/commands' && req.method === 'POST') {
      const { commandLine } = JSON.parse(req.body.toString()) as { commandLine: string };
      if (commandLine.startsWith('kill')) return mdeError(403, 'Forbidden', 'kill needs the Live response advanced role');
      const c = command(next++, commandLine);
      // A background command ends when the next line arrives (or at close), so its end comes later.
      for (const b of state.background.splice(0)) end(b, `${b.commandLine} done\n`, { status: 'Completed', exitCode: 0 });
      setImmediate(() => {
        emit('command', c);
        if (c.background) state.background.push(c);
        else if (commandLine === 'fileinfo /missing') end(c, '', { status: 'Failed', exitCode: 1, errors: ['/missing: no such file'] });
        else if (commandLine.startsWith('dir')) end(c, 'name  size\nhostname  6\n', { status: 'Completed', exitCode: 0 }, { columns: ['name', 'size'], rows: [['hostname', 6]] });
        else end(c, `${commandLine}: ok\n`, { status: 'Completed', exitCode: 0 });
      });
      return { status: 201, body: c };
    }
    return mdeError(404, 'ResourceNotFound', `no route ${req.method} ${req.url}`);
  };
  return { handler, state };
}

const shell = (stdin: string, args: string[] = []) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((res, rej) => {
    const child = spawn(process.execPath, [...CLI, 'live', 'shell', 'web01', ...args], {
      cwd: ROOT,
      env: { ...process.env, CORDON_PROFILE: '/nonexistent/profile.json', CORDON_SERVER: server!.url, CORDON_TENANT: 't', CORDON_TOKEN: 'tok', CORDON_KEYRING: 'off' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', rej);
    child.once('exit', (code) => res({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });

describe('cordon live shell (piped)', () => {
  it('should run the lines in order, print each output once, exit 0 and close the session', async () => {
    const fake = consoleServer();
    server = await startFakeServer(fake.handler);
    const res = await shell('fileinfo /a\n\ndir /etc\nexit\nfileinfo /never\n');
    expect(res).toEqual({ code: 0, stdout: 'fileinfo /a: ok\nname  size\nhostname  6\n', stderr: '' });
    expect(fake.state.closed).toBe(true);
  }, 30_000);

  it('should refuse an --output-dir that is not a writable directory before opening a session', async () => {
    const fake = consoleServer();
    server = await startFakeServer(fake.handler);
    const res = await shell('getfile /etc/hostname\n', ['--output-dir', '/nonexistent/evidence']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--output-dir /nonexistent/evidence is not a writable directory');
    expect(fake.state.opened).toBe(0);
  }, 30_000);

  it('should print refusals and failures to stderr, carry on, and exit with the first one’s code', async () => {
    const fake = consoleServer();
    server = await startFakeServer(fake.handler);
    const res = await shell('frobnicate\nkill 1\nfileinfo /missing\nfileinfo /b\n');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('fileinfo /b: ok\n');
    expect(res.stderr.split('\n')).toEqual([
      "cordon: Unknown command 'frobnicate'. Type help to list the commands (frobnicate)",
      'cordon: Forbidden: kill needs the Live response advanced role (request req-1) (kill 1)',
      'cordon: [1] fileinfo /missing: Failed (exit 1): /missing: no such file',
      '',
    ]);
    expect(fake.state.closed).toBe(true);
  }, 30_000);

  it('should exit with the Failed code when the first command that did not complete failed', async () => {
    server = await startFakeServer(consoleServer().handler);
    expect((await shell('fileinfo /missing\nfileinfo /b\n')).code).toBe(2);
  }, 30_000);

  it('should not wait for a line ending with &, and wait for it before closing', async () => {
    const fake = consoleServer();
    server = await startFakeServer(fake.handler);
    const res = await shell('findfile x &\nfileinfo /c\n');
    expect(res.code).toBe(0);
    // The background command's end and the next command's output may come in either order.
    expect(res.stdout.split('\n').sort()).toEqual(['', '[1] Completed: findfile x &', 'fileinfo /c: ok', 'findfile x & done']);
    expect(res.stderr).toBe('[1] findfile x &: running in the background\n');
  }, 30_000);

  it('should print one JSON object per command with --json, the table and -output json included', async () => {
    server = await startFakeServer(consoleServer().handler);
    const res = await shell('dir /etc -output json\nfileinfo /d\n', ['--json']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.id, l.status, l.output, l.table])).toEqual([
      [1, 'Completed', 'name  size\nhostname  6\n', { columns: ['name', 'size'], rows: [['hostname', 6]] }],
      [2, 'Completed', 'fileinfo /d: ok\n', null],
    ]);
  }, 30_000);

  it('should print a table as JSON for -output json without --json', async () => {
    server = await startFakeServer(consoleServer().handler);
    const res = await shell('dir /etc -output json\n');
    expect(res.stdout).toBe(`${JSON.stringify([{ name: 'hostname', size: 6 }], null, 2)}\n`);
  }, 30_000);
});
