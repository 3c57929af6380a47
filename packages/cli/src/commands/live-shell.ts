/**
 * `cordon live shell <machine>`: a live response console session in the terminal. On a TTY it is a
 * prompt (readline: history, completion of command names and library files, Ctrl-C cancels the running command and
 * never the session, Ctrl-D or `exit` closes). Piped, it reads one command per line and runs them
 * in order, each after the previous one ended (unless it ends with &), prints each one's output,
 * and exits non-zero when any command did not complete. The session is closed on every way out.
 */
import { createInterface, type Interface } from 'node:readline';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { LiveSessionsClient, type CordonClient } from '@cordon/api-client';
import { downloadToFile } from '@cordon/api-client/node';
import { LIVE_CONSOLE_COMMANDS, LIVE_CONSOLE_COMMAND_NAMES, parseConsoleLine, type LiveCommandStatus, type LiveConsoleTable, type LiveSessionCommand } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { EXIT, formatError, formatJsonError, run } from '../analyst/output.js';
import { LiveShellSession, type LiveCommandResult } from '../analyst/live-shell.js';
import { exampleLines } from './list-options.js';
import { uniqueName, writableDirectory } from './live.js';

interface ShellOptions extends ConnectionOptions {
  json?: boolean;
  outputDir?: string;
}

/** The exit code a command's end gives the piped shell (the first command that did not complete sets it). */
const STATUS_EXIT: Record<LiveCommandStatus, number> = { Completed: EXIT.ok, Running: EXIT.stillRunning, Failed: EXIT.Failed, TimeOut: EXIT.TimeOut, Cancelled: EXIT.Cancelled };

export function registerLiveShellCommand(live: Command): void {
  const shell = live
    .command('shell')
    .description('open a live response console session on a machine (interactive on a terminal; one command per line when piped)')
    .argument('<machine>', 'machine id or computer name')
    .option('--json', 'print one JSON object per command: the command, its output and its table')
    .addOption(new Option('--output-dir <dir>', 'save getfile and collect results into this directory').env('CORDON_LIVE_OUTPUT_DIR'))
    .addHelpText(
      'after',
      `${exampleLines('cordon live shell web01', "printf 'processes\\nfileinfo /etc/hostname\\nexit\\n' | cordon live shell web01", "printf 'getfile /var/log/auth.log\\n' | cordon live shell web01 --output-dir ./evidence", "echo 'connections' | cordon live shell web01 --json")}

Piped: exit 0 when every command Completed; else the code of the first that did not (1 refused or
unknown, 2 Failed, 3 TimeOut, 4 Cancelled); the refusal or error is printed to stderr and the next
line still runs.`,
    );
  addProfileOption(shell).action(
    run(async (machine: string, opts: ShellOptions) => {
      if (opts.outputDir) await writableDirectory(opts.outputDir);
      const client = await connect(opts);
      const { id } = await client.getMachine(machine);
      const live = new LiveSessionsClient(client);
      const session = new LiveShellSession(live, await live.open(id));
      const onSigint = () => void session.close().finally(() => process.exit(EXIT.interrupted));
      // On a terminal readline owns Ctrl-C (it cancels the running command); piped, it ends the shell.
      if (!process.stdin.isTTY) process.once('SIGINT', onSigint);
      try {
        return process.stdin.isTTY ? await interactive(session, client, opts) : await piped(session, client, opts);
      } finally {
        process.off('SIGINT', onSigint);
        await session.close();
      }
    }),
  );
}

/** Runs one line: refusals and failures are printed and counted, never thrown. */
class LineRunner {
  #session: LiveShellSession;
  #client: CordonClient;
  #opts: ShellOptions;
  #tty: boolean;
  /** The foreground command whose output is printed as it streams (text mode only). */
  foreground: LiveSessionCommand | undefined;
  /** Output received per command, and how much of it was printed as it streamed. */
  #received = new Map<number, string>();
  #streamed = new Map<number, string>();
  #background: Promise<void>[] = [];
  exitCode: number = EXIT.ok;

  constructor(session: LiveShellSession, client: CordonClient, opts: ShellOptions, tty: boolean) {
    this.#session = session;
    this.#client = client;
    this.#opts = opts;
    this.#tty = tty;
    session.onOutput = (commandId, text) => {
      this.#received.set(commandId, (this.#received.get(commandId) ?? '') + text);
      if (this.foreground?.id === commandId) this.#stream(commandId);
    };
  }

  async run(line: string): Promise<void> {
    const parsed = parseConsoleLine(line);
    if (!parsed.ok) return this.#refused(line, new Error(parsed.message));
    let command: LiveSessionCommand;
    try {
      command = await this.#session.send(line);
    } catch (err) {
      return this.#refused(line, err);
    }
    if (parsed.line.command === 'cls' && this.#tty) process.stdout.write('\x1b[2J\x1b[H');
    if (command.background) {
      if (!this.#opts.json) process.stderr.write(`[${command.id}] ${line}: running in the background\n`);
      this.#background.push(this.#finish(command, true));
      return;
    }
    this.foreground = command;
    // Output that arrived before the POST's answer is printed now, the rest as it comes.
    this.#stream(command.id);
    try {
      await this.#finish(command, false);
    } finally {
      this.foreground = undefined;
    }
  }

  /** Prints what the foreground command printed since the last call (text mode, not -output json). */
  #stream(commandId: number): void {
    if (this.#opts.json || this.foreground?.outputFormat === 'json') return;
    const received = this.#received.get(commandId) ?? '';
    const streamed = this.#streamed.get(commandId) ?? '';
    if (received.length === streamed.length) return;
    process.stdout.write(received.slice(streamed.length));
    this.#streamed.set(commandId, received);
  }

  /** Waits for every background command sent so far. */
  async drain(): Promise<void> {
    await Promise.all(this.#background);
  }

  async #finish(sent: LiveSessionCommand, background: boolean): Promise<void> {
    let result: LiveCommandResult;
    try {
      result = await this.#session.result(await this.#session.finished(sent.id));
    } catch (err) {
      return this.#failed(sent.commandLine, err);
    }
    const { command, output, table } = result;
    if (this.#opts.json) process.stdout.write(`${JSON.stringify({ ...command, output, table })}\n`);
    else {
      if (background) process.stdout.write(`[${command.id}] ${command.status}: ${command.commandLine}\n`);
      process.stdout.write(renderOutput(command, output, table, this.#streamed.get(command.id) ?? ''));
      if (command.status !== 'Completed') process.stderr.write(`cordon: [${command.id}] ${command.commandLine}: ${command.status}${command.exitCode !== null ? ` (exit ${command.exitCode})` : ''}${command.errors.length ? `: ${command.errors.join('; ')}` : ''}\n`);
    }
    this.#streamed.delete(command.id);
    this.#received.delete(command.id);
    if (command.status !== 'Completed' && this.exitCode === EXIT.ok) this.exitCode = STATUS_EXIT[command.status];
    if (command.status === 'Completed' && command.resultFile && command.machineActionId) await this.#saveResult(command);
  }

  async #saveResult(command: LiveSessionCommand): Promise<void> {
    const file = command.resultFile!;
    if (!this.#opts.outputDir) {
      if (!this.#opts.json) process.stderr.write(`${file.name} (${file.size} bytes, sha256 ${file.sha256}) is ready on action ${command.machineActionId}; pass --output-dir to save it\n`);
      return;
    }
    try {
      const link = await this.#client.getLiveResponseResultDownloadLink(command.machineActionId!, 0);
      const path = join(this.#opts.outputDir, uniqueName(file.name, this.#saved));
      await downloadToFile(this.#client, link, path);
      if (!this.#opts.json) process.stderr.write(`saved ${file.name} to ${path}\n`);
    } catch (err) {
      this.#failed(command.commandLine, err);
    }
  }
  #saved = new Set<string>();

  #refused(line: string, err: unknown): void {
    this.#failed(line, err);
  }
  #failed(line: string, err: unknown): void {
    const message = this.#opts.json ? formatJsonError(err) : `${formatError(err)} (${line})`;
    process.stderr.write(`${message}\n`);
    if (this.exitCode === EXIT.ok) this.exitCode = EXIT.error;
  }
}

/** A command's output for the terminal: its table as JSON with `-output json`, else its text (what was not streamed yet). */
export function renderOutput(command: LiveSessionCommand, output: string, table: LiveConsoleTable | null, streamed: string): string {
  if (command.outputFormat === 'json' && table) return `${JSON.stringify(table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null]))), null, 2)}\n`;
  const rest = output.startsWith(streamed) ? output.slice(streamed.length) : output;
  const text = streamed + rest;
  return text === '' || text.endsWith('\n') ? rest : `${rest}\n`;
}

async function piped(session: LiveShellSession, client: CordonClient, opts: ShellOptions): Promise<number> {
  const runner = new LineRunner(session, client, opts, false);
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === 'exit') break;
    await runner.run(line);
  }
  rl.close();
  await runner.drain();
  return runner.exitCode;
}

async function interactive(session: LiveShellSession, client: CordonClient, opts: ShellOptions): Promise<number> {
  const runner = new LineRunner(session, client, opts, true);
  const names = LIVE_CONSOLE_COMMAND_NAMES.filter((n) => LIVE_CONSOLE_COMMANDS[n].runsOn !== 'unavailable');
  // Only for completion: a caller who may not list the library still gets a shell.
  const libraryNames = await client.listLibraryFiles().then((files) => files.map((f) => f.fileName), () => [] as string[]);
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    historySize: 1000,
    completer: (line: string) => {
      const word = line.trimStart();
      // A command name first; after putfile or run, a library file name.
      const library = /^(putfile|run)\s+(\S*)$/i.exec(word);
      if (library) return [libraryNames.filter((n) => n.startsWith(library[2]!)), library[2]!];
      const hits = /\s/.test(word) ? [] : names.filter((n) => n.startsWith(word));
      return [hits.map((h) => `${h} `), line];
    },
  });
  const prompt = () => {
    rl.setPrompt(`${session.cwd}> `);
    rl.prompt();
  };
  process.stderr.write(`live response session ${session.id}: type help for the commands, exit or Ctrl-D to close\n`);
  session.onClosed = (why) => {
    process.stderr.write(`\ncordon: ${why}\n`);
    rl.close();
  };
  rl.on('SIGINT', () => {
    const fg = runner.foreground;
    if (fg) {
      process.stdout.write(`^C cancelling [${fg.id}] ${fg.commandLine}\n`);
      session.cancel(fg.id).catch((err: unknown) => process.stderr.write(`${formatError(err)}\n`));
      return;
    }
    rl.write(null, { ctrl: true, name: 'u' });
    process.stdout.write('^C (exit or Ctrl-D closes the session)\n');
    prompt();
  });
  let queue = Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on('line', (raw) => {
      const line = raw.trim();
      if (line === 'exit') return rl.close();
      queue = queue.then(async () => {
        if (line !== '') await runner.run(line);
        prompt();
      });
    });
    rl.on('close', () => resolve());
    prompt();
  });
  return EXIT.ok;
}
