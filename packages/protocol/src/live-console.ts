/**
 * Live response console sessions (a Cordon extension of MDE's portal-only console, mde-api.md §7):
 * the command set, its roles and limits, the API's shapes and the agent messages that carry a
 * session. One table (`LIVE_CONSOLE_COMMANDS`) is read by the server (roles, audit, limits), the
 * agent (which commands it runs), the web console (help, completion) and the CLI, so they never
 * disagree on what a command is.
 */
import { Type, type Static } from '@sinclair/typebox';
import { literalUnion, strict } from './schema-helpers.js';

/** Who may run a command: "Live response basic" (read-only, download) or "Live response advanced". */
export type LiveConsoleLevel = 'basic' | 'advanced';

/**
 * Where a command runs: `server` commands answer from the session's own state (help, jobs, fg,
 * status, trace, cls, library) and never reach the device; `agent` commands are sent to it;
 * `unavailable` are MDE's Windows- or macOS-only commands, answered "not available on Linux".
 */
export type LiveConsoleRunsOn = 'server' | 'agent' | 'unavailable';

export interface LiveConsoleCommandSpec {
  level: LiveConsoleLevel;
  runsOn: LiveConsoleRunsOn;
  /**
   * Recorded as a MachineAction (type LiveResponse, requestSource `LiveResponseSession`) because it
   * changes the device or moves a file: what the Action center and MDE clients see of a session.
   */
  recordedAsAction: boolean;
  /** Longest the agent lets it run (MDE: 10 minutes; getfile, findfile and run 30 minutes). */
  timeoutMs: number;
  /** One line for `help`, and the syntax. */
  summary: string;
  usage: string;
}

const MIN = 60_000;
const basic = (runsOn: LiveConsoleRunsOn, usage: string, summary: string, timeoutMs = 10 * MIN): LiveConsoleCommandSpec => ({ level: 'basic', runsOn, recordedAsAction: false, timeoutMs, usage, summary });
const advanced = (usage: string, summary: string, timeoutMs = 10 * MIN): LiveConsoleCommandSpec => ({ level: 'advanced', runsOn: 'agent', recordedAsAction: true, timeoutMs, usage, summary });
const windowsOnly = (usage: string, summary: string): LiveConsoleCommandSpec => ({ level: 'basic', runsOn: 'unavailable', recordedAsAction: false, timeoutMs: 0, usage, summary });

export const LIVE_CONSOLE_COMMANDS = {
  help: basic('server', 'help [command]', 'list the commands, or explain one'),
  cls: basic('server', 'cls', 'clear the console screen'),
  status: basic('server', 'status <command id>', 'show the status and output of a command of this session'),
  jobs: basic('server', 'jobs', 'list the commands running in the background'),
  fg: basic('server', 'fg <command id>', 'bring a background command to the foreground'),
  trace: basic('server', 'trace [on|off]', 'show timings and debug detail with each output'),
  library: basic('server', 'library', "list the tenant's live response library"),
  cd: basic('agent', 'cd <path>', 'change the current directory'),
  dir: basic('agent', 'dir [path]', 'list a directory (name, type, size, modified)'),
  fileinfo: basic('agent', 'fileinfo <path>', 'size, owner, mode, times and md5/sha1/sha256 of a file'),
  findfile: basic('agent', 'findfile <name or glob> [-root <dir>]...', 'find files by name under roots (default /)', 30 * MIN),
  getfile: { ...basic('agent', 'getfile <path>', 'download a file from the device (up to 3 GB)', 30 * MIN), recordedAsAction: true },
  processes: basic('agent', 'processes [-pid <pid>]', 'running processes: pid, ppid, user, start, command line, executable and its sha256'),
  connections: basic('agent', 'connections', 'open sockets with their owning process'),
  persistence: basic('agent', 'persistence', 'autoruns: systemd units, cron, shell profiles, ld.so.preload, authorized keys'),
  putfile: advanced('putfile <library file> [-overwrite|-keep]', 'copy a library file into the current directory'),
  run: advanced('run <library script> [-parameters "<args>"]', 'run a library script, streaming its output', 30 * MIN),
  remediate: advanced('remediate file <path> | remediate process <pid>', 'kill what runs a file and quarantine it, or kill a process'),
  kill: advanced('kill <pid>', 'kill a process (SIGKILL)'),
  suspend: advanced('suspend <pid>', 'suspend a process (SIGSTOP)'),
  scan: advanced('scan [path]', 'antivirus scan of the device, or of a path'),
  collect: advanced('collect', 'collect an investigation package', 30 * MIN),
  analyze: windowsOnly('analyze', 'analyze an entity (Windows only)'),
  registry: windowsOnly('registry', 'show registry values (Windows only)'),
  drivers: windowsOnly('drivers', 'list drivers (Windows only)'),
  services: windowsOnly('services', 'list services (Windows only)'),
  scheduledtasks: windowsOnly('scheduledtasks', 'list scheduled tasks (Windows only)'),
  startupfolders: windowsOnly('startupfolders', 'list startup folders (Windows only)'),
  undo: windowsOnly('undo', 'undo a remediation (Windows only)'),
  isolate: windowsOnly('isolate', 'isolate from the console (macOS only; use the isolate action)'),
  release: windowsOnly('release', 'release from isolation (macOS only; use the release action)'),
} as const satisfies Record<string, LiveConsoleCommandSpec>;

export type LiveConsoleCommandName = keyof typeof LIVE_CONSOLE_COMMANDS;
export const LIVE_CONSOLE_COMMAND_NAMES = Object.keys(LIVE_CONSOLE_COMMANDS) as LiveConsoleCommandName[];

export function isLiveConsoleCommand(name: string): name is LiveConsoleCommandName {
  return Object.hasOwn(LIVE_CONSOLE_COMMANDS, name);
}

/** MDE's limits (mde-api.md §7), and Cordon's caps on what a command line and its output may be. */
export const LIVE_CONSOLE_LIMITS = {
  sessionsPerDevice: 1,
  sessionsPerTenant: 25,
  sessionsPerPerson: 10,
  idleTimeoutMs: 30 * MIN,
  /** Longest command line accepted (characters). */
  commandLineLength: 4096,
  /** Largest output chunk a device may send in one `live/output` message (bytes of UTF-8 text). */
  outputChunkBytes: 64 * 1024,
  /** Output kept per command (text); beyond it the command's output is cut and says so. */
  outputBytesPerCommand: 4 * 1024 * 1024,
  /** Commands running at once in one session (foreground + background). */
  runningCommandsPerSession: 8,
  /** How long opening a session waits for the device to answer before failing. */
  openTimeoutMs: 10_000,
} as const;

/** `-output json|table` (MDE): how a command's structured data is shown. */
export const LIVE_CONSOLE_OUTPUT_FORMATS = ['table', 'json'] as const;
export type LiveConsoleOutputFormat = (typeof LIVE_CONSOLE_OUTPUT_FORMATS)[number];

// ---- API shapes (JSON, camelCase like MDE's entities) ------------------------------------------

export const LIVE_SESSION_STATES = ['Active', 'Closed'] as const;
export type LiveSessionState = (typeof LIVE_SESSION_STATES)[number];
/** Why a session closed. */
export const LIVE_SESSION_CLOSE_REASONS = ['ClosedByUser', 'IdleTimeout', 'DeviceDisconnected', 'DeviceOffboarded'] as const;

export const LIVE_COMMAND_STATUSES = ['Running', 'Completed', 'Failed', 'Cancelled', 'TimeOut'] as const;
export type LiveCommandStatus = (typeof LIVE_COMMAND_STATUSES)[number];

/**
 * `GET /api/cordon/liveresponse/sessions/{id}`. Timestamps are MDE's (7 fractional digits, Z).
 */
export interface LiveSession {
  id: string;
  machineId: string;
  computerDnsName: string | null;
  /** Who opened it: the person's UPN or the app's name (like an action's `requestor`). */
  openedBy: string;
  state: LiveSessionState;
  /** The agent's current directory for this session. */
  currentDirectory: string;
  creationDateTimeUtc: string;
  lastActivityDateTimeUtc: string;
  closedDateTimeUtc: string | null;
  closeReason: (typeof LIVE_SESSION_CLOSE_REASONS)[number] | null;
}

/** One command line of a session (its transcript entry). */
export interface LiveSessionCommand {
  /** 1, 2, 3… within the session: what `status <id>`, `fg <id>` and `jobs` name. */
  id: number;
  commandLine: string;
  /** The command name as parsed (`dir`, `getfile`…). */
  command: string;
  requestor: string;
  background: boolean;
  /** `-output json|table`: how clients show its table (default table). */
  outputFormat: LiveConsoleOutputFormat;
  status: LiveCommandStatus;
  exitCode: number | null;
  errors: string[];
  startDateTimeUtc: string;
  endDateTimeUtc: string | null;
  /** The MachineAction recording it, for commands with `recordedAsAction`; else null. */
  machineActionId: string | null;
  /** A getfile or collect result: where to fetch it (a signed link via the action's result link). */
  resultFile: { name: string; size: number; sha256: string } | null;
  outputTruncated: boolean;
}

/**
 * Server-sent events on `GET /api/cordon/liveresponse/sessions/{id}/events` (text/event-stream,
 * `id:` = a per-session sequence so `Last-Event-ID` resumes without loss):
 * - `command` — a LiveSessionCommand was created or changed status;
 * - `output`  — `{ commandId, text }`: a chunk of a command's output, in order;
 * - `data`    — `{ commandId, columns, rows }`: a command's table (dir, processes, connections…);
 * - `session` — the LiveSession changed (cwd, closed).
 */
export type LiveSessionEvent =
  | { event: 'command'; data: LiveSessionCommand }
  | { event: 'output'; data: { commandId: number; text: string } }
  | { event: 'data'; data: LiveConsoleTable & { commandId: number } }
  | { event: 'session'; data: LiveSession };

/** Structured output: what `-output table` renders and `-output json` prints. */
export interface LiveConsoleTable {
  columns: string[];
  rows: (string | number | null)[][];
}

// ---- Agent messages ---------------------------------------------------------------------------
//
// Server -> agent notifications `live/command`, `live/cancel`, `live/close` (in AGENT_METHODS);
// agent -> server requests `live/output` and `live/done`. A `live/command` is signed like an action
// (Ed25519 with the action key, over `canonicalLiveCommandText`), so a device runs only what the
// server asked for, and carries the argv already split by the server (the device never parses a
// shell line). The device keeps a session's state (current directory, running commands) in memory
// only: an agent that restarts has no session, and the server fails its running commands.

export interface LiveCommandFields {
  sessionId: string;
  /**
   * The session's command id (1, 2, 3…). Id 0 is the opening probe (`cd /`): a session is opened
   * only once the device has answered it, so a session on an unreachable device fails in seconds.
   */
  commandId: number;
  machineId: string;
  command: LiveConsoleCommandName;
  argv: string[];
  /** The directory the session is in when the command starts. */
  cwd: string;
  /** The MachineAction recording it (getfile, collect results are uploaded to it), or null. */
  actionId: string | null;
  timeoutMs: number;
  /** ISO 8601 instant after which the device refuses to start it. */
  expiresAt: string;
}

export const LIVE_COMMAND_SIGNATURE_CONTEXT = 'cordon-live-command-v1';

/** The signed text: the context line, then the fields as JSON with sorted keys. */
export function canonicalLiveCommandText(f: LiveCommandFields): string {
  const sorted = {
    actionId: f.actionId,
    argv: f.argv,
    command: f.command,
    commandId: f.commandId,
    cwd: f.cwd,
    expiresAt: f.expiresAt,
    machineId: f.machineId,
    sessionId: f.sessionId,
    timeoutMs: f.timeoutMs,
  };
  return `${LIVE_COMMAND_SIGNATURE_CONTEXT}\n${JSON.stringify(sorted)}`;
}

export interface LiveCommandParams extends LiveCommandFields {
  signature: string;
  keyId: string;
}

const SessionIdParam = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' });
const CommandIdParam = Type.Integer({ minimum: 0, maximum: 1_000_000 });

/** `live/output`: the next chunk of a command's output (`seq` from 0, gap-free per command). */
export const LiveOutputParams = Type.Object(
  {
    sessionId: SessionIdParam,
    commandId: CommandIdParam,
    seq: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    text: Type.String({ maxLength: LIVE_CONSOLE_LIMITS.outputChunkBytes }),
  },
  strict,
);
export type LiveOutputParams = Static<typeof LiveOutputParams>;

const Cell = Type.Union([Type.String({ maxLength: 8192 }), Type.Number(), Type.Null()]);

/** `live/done`: the command ended. `cwd` is the session's directory after it (cd changes it). */
export const LiveDoneParams = Type.Object(
  {
    sessionId: SessionIdParam,
    commandId: CommandIdParam,
    status: literalUnion(['Completed', 'Failed', 'Cancelled', 'TimeOut'] as const),
    exitCode: Type.Union([Type.Integer({ minimum: -1, maximum: 255 }), Type.Null()]),
    errors: Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 16 }),
    cwd: Type.String({ minLength: 1, maxLength: 4096 }),
    /** How many `live/output` chunks were sent, so the server knows it has them all. */
    outputChunks: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    table: Type.Optional(Type.Object({ columns: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 }), rows: Type.Array(Type.Array(Cell, { maxItems: 32 }), { maxItems: 100_000 }) }, strict)),
    resultFile: Type.Optional(Type.Object({ name: Type.String({ maxLength: 255 }), size: Type.Integer({ minimum: 0 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, strict)),
  },
  strict,
);
export type LiveDoneParams = Static<typeof LiveDoneParams>;
