/**
 * Output and exit codes shared by analyst commands. Results go to stdout (JSON with --json),
 * progress and errors to stderr; an error is one line, never a stack trace.
 */
import { isCordonApiError } from '@cordon/api-client';
import type { ActionStatus, MachineAction } from '@cordon/protocol';
import { stdoutPaint } from './colour.js';

/** Exit codes (also in `cordon --help`). */
export const EXIT = { ok: 0, error: 1, Failed: 2, TimeOut: 3, Cancelled: 4, stillRunning: 5, unreachable: 6, scriptFailed: 7, partial: 8, interrupted: 130 } as const;

export const EXIT_CODES_HELP = `
Exit codes (analyst commands):
  0  success; with --wait or actions watch: the action Succeeded
  1  usage error, or the server refused the request (its code and message are printed)
  2  the action Failed
  3  the action timed out (TimeOut)
  4  the action was Cancelled
  5  --timeout elapsed while the action was still Pending/InProgress
  6  the server could not be reached (with --wait: retried until --timeout, else for 2 minutes)
  7  live run --wait: the action Succeeded but a script exited non-zero
  8  --tag/--filter: the server refused some of the machines (the others got their action)
  130  Ctrl-C while waiting (the action keeps running; the message says how to follow it)

Environment: CORDON_PROFILE (profile name, or a profile file when it contains a /), XDG_CONFIG_HOME
(profiles live in $XDG_CONFIG_HOME/cordon, default ~/.config/cordon), CORDON_KEYRING=off (keep
secrets in the profile file), NO_COLOR / FORCE_COLOR (colour of status words; on a terminal only by
default), and CORDON_SERVER, CORDON_TENANT, CORDON_CLIENT_ID, CORDON_CLIENT_SECRET, CORDON_TOKEN,
which override the profile.`;

export function exitCodeFor(status: ActionStatus): number {
  switch (status) {
    case 'Succeeded':
      return EXIT.ok;
    case 'Failed':
      return EXIT.Failed;
    case 'TimeOut':
      return EXIT.TimeOut;
    case 'Cancelled':
      return EXIT.Cancelled;
    default:
      return EXIT.stillRunning;
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Plain rows aligned in columns (no table library: the output is a handful of short fields). The
 * cells of `statusColumns` are coloured on a terminal (colour.ts), after padding so columns stay aligned.
 */
export function printTable(header: string[], rows: string[][], statusColumns: readonly number[] = []): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const paint = stdoutPaint();
  const fmt = (cells: string[], body: boolean) =>
    cells
      .map((c, i) => {
        const pad = i === cells.length - 1 ? '' : ' '.repeat(widths[i] - c.length);
        return `${body && statusColumns.includes(i) ? paint.word(c) : c}${pad}`;
      })
      .join('  ');
  printLine(fmt(header, false));
  for (const row of rows) printLine(fmt(row, true));
}

export function actionRow(a: MachineAction): string[] {
  return [a.id, a.type, a.status, a.computerDnsName ?? a.machineId, a.creationDateTimeUtc.slice(0, 19).replace('T', ' '), a.requestor];
}
export const ACTION_HEADER = ['ID', 'TYPE', 'STATUS', 'MACHINE', 'CREATED (UTC)', 'REQUESTOR'];
/** The STATUS column of ACTION_HEADER, coloured on a terminal. */
export const ACTION_STATUS_COLUMNS = [2] as const;

export function describeAction(a: MachineAction): string {
  const extra = a.errorMessage ? `: ${a.errorMessage}` : '';
  return `${a.type} ${a.id} on ${a.computerDnsName ?? a.machineId}: ${a.status}${extra}`;
}

/** `cordon: <code>: <message> (request <target>)` for API errors; `cordon: <message>` otherwise. */
export function formatError(err: unknown): string {
  if (isCordonApiError(err)) return `cordon: ${err.code}: ${err.message}${err.target ? ` (request ${err.target})` : ''}`;
  if (err instanceof Error) return `cordon: ${err.message}`;
  return `cordon: ${String(err)}`;
}

/** The code of an error that is not the server's: a usage mistake caught by commander, or anything else the CLI refused. */
export const CLI_ERROR_CODES = { usage: 'UsageError', cli: 'CliError' } as const;

/**
 * An error for `--json` / `-o json`: the MDE envelope `{"error":{"code","message"}}` (plus `target`,
 * the request id, when the server gave one), so a script reads failures the way it reads results.
 */
export function formatJsonError(err: unknown, code: string = CLI_ERROR_CODES.cli): string {
  if (isCordonApiError(err)) return JSON.stringify({ error: { code: err.code, message: err.message, ...(err.target ? { target: err.target } : {}) } });
  return JSON.stringify({ error: { code, message: err instanceof Error ? err.message : String(err) } });
}

/** Whether the command's options ask for JSON output (`--json` or `-o json`). */
export function wantsJson(opts: { json?: unknown; output?: unknown }): boolean {
  return opts.json === true || opts.output === 'json';
}

/**
 * The same question asked of the raw command line, for errors found while commander is still
 * reading it (before any options object exists): `--json`, `-o json`, `-ojson`, `--output json`,
 * `--output=json`.
 */
export function argvWantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--json' || arg === '-ojson' || arg === '--output=json' || ((arg === '-o' || arg === '--output') && argv[i + 1] === 'json'));
}

/** The options of the command an action handler was called for: commander passes the Command last. */
function handlerOpts(args: readonly unknown[]): Record<string, unknown> {
  const last = args[args.length - 1] as { opts?: () => Record<string, unknown> } | undefined;
  return typeof last?.opts === 'function' ? last.opts() : {};
}

/**
 * Wraps a command action: errors become one line on stderr (the JSON envelope under --json or
 * -o json) and exit code 1 (6 when the server could not be reached at all); the handler may return
 * an exit code. Sets process.exitCode rather than exiting so pending output is flushed.
 */
export function run<A extends unknown[]>(handler: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await handler(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (err) {
      process.stderr.write(`${wantsJson(handlerOpts(args)) ? formatJsonError(err) : formatError(err)}\n`);
      process.exitCode = isCordonApiError(err) && err.status === 0 ? EXIT.unreachable : EXIT.error;
    }
  };
}

/**
 * A reader that stops early (`cordon machines list | head -1`) closes the pipe; the next write
 * fails with EPIPE. That is the reader saying it has enough, not an error: end at once with exit 0,
 * like the Unix tools, instead of Node's unhandled 'error' stack trace.
 */
export function endQuietlyWhenReaderCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EXIT.ok);
      throw err;
    });
  }
}
