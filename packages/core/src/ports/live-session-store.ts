import type { LiveCommandStatus, LiveConsoleOutputFormat, LiveSessionState } from '@cordon/protocol';

/** Why a session closed (protocol LIVE_SESSION_CLOSE_REASONS). */
export type LiveSessionCloseReason = 'ClosedByUser' | 'IdleTimeout' | 'DeviceDisconnected' | 'DeviceOffboarded';

/** A console session as the domain keeps it; the wire LiveSession is derived from it. */
export interface LiveSessionRecord {
  tenantId: string;
  id: string;
  machineId: string;
  computerDnsName: string | null;
  openedBy: string;
  state: LiveSessionState;
  currentDirectory: string;
  /** `trace on`: outputs carry timings. */
  trace: boolean;
  creationDateTimeUtc: string;
  lastActivityDateTimeUtc: string;
  closedDateTimeUtc: string | null;
  closeReason: LiveSessionCloseReason | null;
}

/** One command of a session. */
export interface LiveCommandRecord {
  tenantId: string;
  sessionId: string;
  /** 0 is the opening probe; 1, 2, 3… the person's commands. */
  id: number;
  commandLine: string;
  command: string;
  argv: string[];
  /** The directory it started in (what the device is told). */
  cwd: string;
  requestor: string;
  background: boolean;
  outputFormat: LiveConsoleOutputFormat;
  status: LiveCommandStatus;
  exitCode: number | null;
  errors: string[];
  startDateTimeUtc: string;
  endDateTimeUtc: string | null;
  /** After it the device refuses to start it. */
  expiresAt: string;
  timeoutMs: number;
  machineActionId: string | null;
  resultFile: { name: string; size: number; sha256: string } | null;
  outputTruncated: boolean;
  /** Output bytes kept so far (capped at LIVE_CONSOLE_LIMITS.outputBytesPerCommand). */
  outputBytes: number;
  /** The next `live/output` seq expected (a re-sent chunk below it is a duplicate). */
  nextChunk: number;
}

/** One stored event of a session's stream, `seq` from 1 per session. */
export interface LiveEventRecord {
  seq: number;
  event: 'command' | 'output' | 'data' | 'session';
  /** The command it belongs to (output, data, command events), else null. */
  commandId: number | null;
  data: unknown;
}

export type OpenSessionOutcome = { ok: true } | { ok: false; holder: LiveSessionRecord | undefined };

export type LiveCommandPatch = Partial<Pick<LiveCommandRecord, 'status' | 'exitCode' | 'errors' | 'endDateTimeUtc' | 'resultFile' | 'outputTruncated' | 'outputBytes' | 'nextChunk' | 'machineActionId'>>;

/**
 * Console sessions, their commands and their event streams. "One Active session per device" is
 * the database's (a unique index over the active sessions), so two server processes cannot both
 * open one; command ids and event sequences are allocated by the database for the same reason.
 */
export interface LiveSessionStore {
  /** Inserts an Active session; refused when the machine already has one (its holder returned). */
  open(session: LiveSessionRecord): Promise<OpenSessionOutcome>;
  get(tenantId: string, id: string): Promise<LiveSessionRecord | undefined>;
  list(tenantId: string, filter: { machineId?: string; state?: LiveSessionState }): Promise<LiveSessionRecord[]>;
  /** Active sessions of the tenant, and of those the ones opened by `openedBy`. */
  countActive(tenantId: string, openedBy: string): Promise<{ tenant: number; person: number }>;
  /** Active sessions of a machine (at most one). */
  activeOfMachine(tenantId: string, machineId: string): Promise<LiveSessionRecord | undefined>;
  /** Active sessions idle since before `before` (any tenant). */
  listIdle(before: string): Promise<LiveSessionRecord[]>;
  /** Sets cwd / trace / last activity of an Active session; undefined when it is not Active. */
  touch(tenantId: string, id: string, patch: Partial<Pick<LiveSessionRecord, 'currentDirectory' | 'trace' | 'lastActivityDateTimeUtc'>>): Promise<LiveSessionRecord | undefined>;
  /** Active -> Closed (compare-and-set): the closed record to exactly one caller, else undefined. */
  close(tenantId: string, id: string, reason: LiveSessionCloseReason, at: string): Promise<LiveSessionRecord | undefined>;
  /** The next command id of the session (1, 2, 3…), unique across processes. */
  nextCommandId(tenantId: string, sessionId: string): Promise<number>;
  addCommand(command: LiveCommandRecord): Promise<void>;
  getCommand(tenantId: string, sessionId: string, id: number): Promise<LiveCommandRecord | undefined>;
  listCommands(tenantId: string, sessionId: string, filter?: { status?: LiveCommandStatus }): Promise<LiveCommandRecord[]>;
  /** The command recorded by a MachineAction. */
  commandOfAction(tenantId: string, actionId: string): Promise<LiveCommandRecord | undefined>;
  /**
   * Patches a command if its status is one of `expected` (compare-and-set, e.g. Running -> final
   * written once) and, for chunk bookkeeping, its nextChunk equals `expectedChunk` when given.
   */
  updateCommand(tenantId: string, sessionId: string, id: number, expected: { status: readonly LiveCommandStatus[]; nextChunk?: number }, patch: LiveCommandPatch): Promise<LiveCommandRecord | undefined>;
  /** Appends events to the session's stream; returns them with their sequence numbers. */
  appendEvents(tenantId: string, sessionId: string, events: readonly Omit<LiveEventRecord, 'seq'>[]): Promise<LiveEventRecord[]>;
  /** Events after `afterSeq`, in order, at most `limit`. */
  listEvents(tenantId: string, sessionId: string, afterSeq: number, limit: number, filter?: { event?: LiveEventRecord['event']; commandId?: number }): Promise<LiveEventRecord[]>;
}
