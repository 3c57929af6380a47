/**
 * The live response console's state, built only from the session's events (so a reload that
 * replays them shows the same screen), and its Tab completion. Pure: the page holds the state and
 * feeds it events; tests feed it recorded ones.
 */
import { LIVE_CONSOLE_COMMANDS, LIVE_CONSOLE_COMMAND_NAMES, splitConsoleWords, type LiveConsoleTable, type LiveSession, type LiveSessionCommand, type LiveSessionEvent } from '@cordon/protocol';

export interface ConsoleEntry {
  command: LiveSessionCommand;
  output: string;
  table?: LiveConsoleTable;
}

export interface ConsoleState {
  session?: LiveSession;
  /** Command ids in the order they were typed. */
  order: number[];
  entries: Record<number, ConsoleEntry>;
  /** Entries with an id at or below this are hidden (`cls`). */
  clearedThrough: number;
  /** Paths that `dir` listed in this session: what Tab completes arguments from. */
  paths: string[];
  /** The command `fg <id>` brought to the foreground, if any. */
  foregroundId?: number;
}

export const EMPTY_CONSOLE: ConsoleState = { order: [], entries: {}, clearedThrough: 0, paths: [] };

export function applyConsoleEvent(state: ConsoleState, event: LiveSessionEvent): ConsoleState {
  switch (event.event) {
    case 'session':
      return { ...state, session: event.data };
    case 'command': {
      const known = state.entries[event.data.id];
      // The POST's answer (Running) can arrive after the stream said the command ended: keep the end.
      const command = known && known.command.status !== 'Running' && event.data.status === 'Running' ? known.command : event.data;
      const entries = { ...state.entries, [command.id]: { output: known?.output ?? '', ...(known?.table ? { table: known.table } : {}), command } };
      const order = known ? state.order : [...state.order, command.id];
      const clearedThrough = command.command === 'cls' ? Math.max(state.clearedThrough, command.id) : state.clearedThrough;
      const fg = command.command === 'fg' && !known ? Number(/^\s*fg\s+(\d+)/i.exec(command.commandLine)?.[1]) : undefined;
      return { ...state, entries, order, clearedThrough, ...(fg !== undefined && Number.isInteger(fg) ? { foregroundId: fg } : {}) };
    }
    case 'output': {
      const entry = state.entries[event.data.commandId];
      if (!entry) return state;
      return { ...state, entries: { ...state.entries, [entry.command.id]: { ...entry, output: entry.output + event.data.text } } };
    }
    case 'data': {
      const entry = state.entries[event.data.commandId];
      if (!entry) return state;
      const table = { columns: event.data.columns, rows: event.data.rows };
      const paths = entry.command.command === 'dir' ? mergePaths(state.paths, listedPaths(entry.command, table, state.session?.currentDirectory)) : state.paths;
      return { ...state, paths, entries: { ...state.entries, [entry.command.id]: { ...entry, table } } };
    }
  }
}

/** The entries shown (after the last `cls`). */
export function visibleEntries(state: ConsoleState): ConsoleEntry[] {
  return state.order.filter((id) => id > state.clearedThrough).map((id) => state.entries[id]!);
}

/** The command Ctrl-C cancels: the one `fg` brought forward while it runs, else the newest running one not sent to the background. */
export function foregroundCommand(state: ConsoleState): LiveSessionCommand | undefined {
  const brought = state.foregroundId === undefined ? undefined : state.entries[state.foregroundId]?.command;
  if (brought?.status === 'Running') return brought;
  for (let i = state.order.length - 1; i >= 0; i--) {
    const command = state.entries[state.order[i]!]!.command;
    if (command.status === 'Running' && !command.background) return command;
  }
  return undefined;
}

/** A table as `-output json` shows it: one object per row, keyed by column. */
export function tableAsJson(table: LiveConsoleTable): string {
  return JSON.stringify(
    table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null]))),
    null,
    2,
  );
}

function join(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** The full paths a dir table lists: its `path` column, else `name` under the listed directory. */
function listedPaths(command: LiveSessionCommand, table: LiveConsoleTable, cwd = '/'): string[] {
  const pathCol = table.columns.findIndex((c) => c.toLowerCase() === 'path');
  const nameCol = table.columns.findIndex((c) => c.toLowerCase() === 'name');
  const words = splitConsoleWords(command.commandLine);
  const arg = Array.isArray(words) ? words.slice(1).find((w) => !w.startsWith('-')) : undefined;
  const dir = arg ? join(cwd, arg) : cwd;
  const out: string[] = [];
  for (const row of table.rows) {
    if (pathCol >= 0 && typeof row[pathCol] === 'string') out.push(row[pathCol] as string);
    else if (nameCol >= 0 && typeof row[nameCol] === 'string') out.push(join(dir, row[nameCol] as string));
  }
  return out;
}

function mergePaths(known: string[], more: string[]): string[] {
  return [...new Set([...known, ...more])].sort();
}

export interface Completion {
  /** The line after completing (unchanged when nothing matched or several did with no longer common prefix). */
  line: string;
  /** What matched, when more than one did (shown to the person). */
  candidates: string[];
}

const COMMANDS = LIVE_CONSOLE_COMMAND_NAMES.filter((n) => LIVE_CONSOLE_COMMANDS[n].runsOn !== 'unavailable');
const LIBRARY_COMMANDS = new Set(['putfile', 'run']);

/**
 * Completes the last word of `line`: a command name as the first word, a library file name after
 * putfile/run, else a path dir listed (a full path, or a name relative to the current directory).
 */
export function completeLine(line: string, sources: { paths: readonly string[]; library: readonly string[]; cwd: string }): Completion {
  const start = line.search(/\S+$/);
  const wordStart = start < 0 ? line.length : start;
  const word = line.slice(wordStart);
  const before = line.slice(0, wordStart).trim();
  let pool: string[];
  if (before === '') pool = COMMANDS;
  else {
    const command = before.split(/\s+/)[0]!.toLowerCase();
    const isFirstArg = before.split(/\s+/).length === 1;
    if (LIBRARY_COMMANDS.has(command) && isFirstArg) pool = [...sources.library];
    else pool = word.startsWith('/') ? [...sources.paths] : relativeTo(sources.paths, sources.cwd);
  }
  const matches = pool.filter((c) => c.startsWith(word)).sort();
  if (matches.length === 0) return { line, candidates: [] };
  if (matches.length === 1) {
    const done = matches[0]!;
    return { line: `${line.slice(0, wordStart)}${quoteIfNeeded(done)}${before === '' ? ' ' : ''}`, candidates: [] };
  }
  const prefix = commonPrefix(matches);
  return { line: `${line.slice(0, wordStart)}${prefix.length > word.length ? quoteIfNeeded(prefix) : word}`, candidates: matches };
}

function relativeTo(paths: readonly string[], cwd: string): string[] {
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return paths.filter((p) => p.startsWith(base) && p.length > base.length).map((p) => p.slice(base.length));
}

function quoteIfNeeded(word: string): string {
  return /\s/.test(word) ? `"${word}"` : word;
}

function commonPrefix(words: string[]): string {
  let prefix = words[0]!;
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
