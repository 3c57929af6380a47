/**
 * The console's command-line grammar, read by the server (which sends the device an argv, never a
 * shell line), the web console and the CLI (which refuse a bad line before sending it). Written by
 * hand because the grammar is MDE's console's, not a shell's: words split on blanks, "double" or
 * 'single' quotes keep blanks, `-output json|table` anywhere, a trailing `&` runs it in the
 * background — and nothing else a shell would interpret (no variables, pipes, redirection).
 */
import { LIVE_CONSOLE_COMMANDS, LIVE_CONSOLE_LIMITS, isLiveConsoleCommand, type LiveConsoleCommandName, type LiveConsoleOutputFormat } from './live-console.js';
import { FORBIDDEN_ARG_CHARACTERS } from './live-response-rules.js';

export interface ParsedConsoleLine {
  command: LiveConsoleCommandName;
  /** The words after the command, quotes removed, without `-output …` and the trailing `&`. */
  argv: string[];
  background: boolean;
  outputFormat: LiveConsoleOutputFormat;
}

export type ConsoleLineResult = { ok: true; line: ParsedConsoleLine } | { ok: false; message: string };

/** How many words each command takes after its name, and which must be numbers (pids, command ids). */
interface Arity {
  min: number;
  max: number;
  /** Positions (0-based) that must be whole numbers. */
  numeric?: number[];
  /** Positions that must be one of these words. */
  oneOf?: Record<number, readonly string[]>;
}

const ARITY: Partial<Record<LiveConsoleCommandName, Arity>> = {
  help: { min: 0, max: 1 },
  cls: { min: 0, max: 0 },
  status: { min: 1, max: 1, numeric: [0] },
  jobs: { min: 0, max: 0 },
  fg: { min: 1, max: 1, numeric: [0] },
  trace: { min: 0, max: 1, oneOf: { 0: ['on', 'off'] } },
  library: { min: 0, max: 0 },
  cd: { min: 1, max: 1 },
  dir: { min: 0, max: 1 },
  fileinfo: { min: 1, max: 1 },
  findfile: { min: 1, max: 33 },
  getfile: { min: 1, max: 1 },
  processes: { min: 0, max: 2 },
  connections: { min: 0, max: 0 },
  persistence: { min: 0, max: 0 },
  putfile: { min: 1, max: 2 },
  run: { min: 1, max: 3 },
  remediate: { min: 2, max: 2, oneOf: { 0: ['file', 'process'] } },
  kill: { min: 1, max: 1, numeric: [0] },
  suspend: { min: 1, max: 1, numeric: [0] },
  scan: { min: 0, max: 1 },
  collect: { min: 0, max: 0 },
};

const WHOLE_NUMBER = /^[0-9]{1,10}$/;

/** Splits a line into words; quotes group, and are removed. An unclosed quote is an error. */
export function splitConsoleWords(line: string): string[] | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { error: `unclosed ${quote} quote` };
  if (inWord) words.push(word);
  return words;
}

/** Parses one console line: the command, its argv, background and output format, or why not. */
export function parseConsoleLine(input: string): ConsoleLineResult {
  if (input.length > LIVE_CONSOLE_LIMITS.commandLineLength) return { ok: false, message: `The command line is longer than ${LIVE_CONSOLE_LIMITS.commandLineLength} characters` };
  if ([...input].some((ch) => (ch < ' ' && ch !== '\t') || ch === '\u007f')) return { ok: false, message: 'The command line must not contain control characters' };
  let line = input.trim();
  if (line === '') return { ok: false, message: 'Type a command (help lists them)' };
  let background = false;
  if (line.endsWith('&') && !line.endsWith('&&')) {
    background = true;
    line = line.slice(0, -1).trimEnd();
  }
  const forbidden = FORBIDDEN_ARG_CHARACTERS.find((c) => line.includes(c));
  if (forbidden) return { ok: false, message: `The command line must not contain ${FORBIDDEN_ARG_CHARACTERS.join(' ')} (found ${forbidden}); a trailing & runs a command in the background` };
  const words = splitConsoleWords(line);
  if (!Array.isArray(words)) return { ok: false, message: `The command line has an ${words.error}` };
  const [name = '', ...rest] = words;
  const command = name.toLowerCase();
  if (!isLiveConsoleCommand(command)) return { ok: false, message: `Unknown command '${name}'. Type help to list the commands` };
  const spec = LIVE_CONSOLE_COMMANDS[command];
  if (spec.runsOn === 'unavailable') return { ok: false, message: `'${command}' is not available on Linux devices` };

  let outputFormat: LiveConsoleOutputFormat = 'table';
  const argv: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i]!.toLowerCase() !== '-output') {
      argv.push(rest[i]!);
      continue;
    }
    const value = rest[i + 1]?.toLowerCase();
    if (value !== 'json' && value !== 'table') return { ok: false, message: '-output takes json or table' };
    outputFormat = value;
    i++;
  }
  if (background && spec.runsOn === 'server') return { ok: false, message: `'${command}' answers at once and cannot run in the background` };

  const arity = ARITY[command];
  if (arity) {
    if (argv.length < arity.min || argv.length > arity.max) return { ok: false, message: `Usage: ${spec.usage}` };
    for (const i of arity.numeric ?? []) if (!WHOLE_NUMBER.test(argv[i]!)) return { ok: false, message: `Usage: ${spec.usage} (${argv[i]} is not a number)` };
    for (const [i, allowed] of Object.entries(arity.oneOf ?? {})) {
      const word = argv[Number(i)];
      if (word !== undefined && !allowed.includes(word.toLowerCase())) return { ok: false, message: `Usage: ${spec.usage}` };
    }
  }
  const optionError = checkOptions(command, argv);
  if (optionError) return { ok: false, message: optionError };
  return { ok: true, line: { command, argv, background, outputFormat } };
}

/** The dash options a command takes, each with whether it is followed by a value. */
const OPTIONS: Partial<Record<LiveConsoleCommandName, Record<string, boolean>>> = {
  findfile: { '-root': true },
  processes: { '-pid': true },
  putfile: { '-overwrite': false, '-keep': false },
  run: { '-parameters': true },
};

function checkOptions(command: LiveConsoleCommandName, argv: string[]): string | undefined {
  const options = OPTIONS[command];
  if (!options) return undefined;
  const usage = `Usage: ${LIVE_CONSOLE_COMMANDS[command].usage}`;
  let positional = 0;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.startsWith('-') && word.length > 1) {
      const takesValue = options[word.toLowerCase()];
      if (takesValue === undefined) return `Unknown option ${word}. ${usage}`;
      if (takesValue) {
        if (argv[i + 1] === undefined) return `${word} needs a value. ${usage}`;
        if (command === 'processes' && !WHOLE_NUMBER.test(argv[i + 1]!)) return `${usage} (${argv[i + 1]} is not a number)`;
        i++;
      }
    } else positional++;
  }
  const wantedPositional: Partial<Record<LiveConsoleCommandName, [number, number]>> = { findfile: [1, 1], processes: [0, 0], putfile: [1, 1], run: [1, 1] };
  const [min, max] = wantedPositional[command] ?? [0, Infinity];
  if (positional < min || positional > max) return usage;
  return undefined;
}
