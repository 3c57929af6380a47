/** LiveSessionStore over Kysely, written once for both engines (house style 8.3). */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { LiveCommandPatch, LiveCommandRecord, LiveEventRecord, LiveSessionCloseReason, LiveSessionRecord, LiveSessionStore, OpenSessionOutcome } from '@cordon/core';
import type { LiveCommandStatus, LiveConsoleOutputFormat, LiveSessionState } from '@cordon/protocol';
import { ACTIVE_LIVE_SESSION_INDEX, type Database, type LiveSessionCommandsTable, type LiveSessionsTable } from './schema.js';
import type { StoreDialect } from './dialects/types.js';

export class KyselyLiveSessionStore implements LiveSessionStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: StoreDialect;

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async open(s: LiveSessionRecord): Promise<OpenSessionOutcome> {
    try {
      await this.#db.insertInto('live_sessions').values(toSessionRow(s)).execute();
      return { ok: true };
    } catch (error) {
      if (!this.#dialect.isUniqueViolation(error, { index: ACTIVE_LIVE_SESSION_INDEX, column: 'machine_id' })) throw error;
      return { ok: false, holder: await this.activeOfMachine(s.tenantId, s.machineId) };
    }
  }

  async get(tenantId: string, id: string): Promise<LiveSessionRecord | undefined> {
    const row = await this.#db.selectFrom('live_sessions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row && toSession(row);
  }

  async list(tenantId: string, filter: { machineId?: string; state?: LiveSessionState }): Promise<LiveSessionRecord[]> {
    let q = this.#db.selectFrom('live_sessions').selectAll().where('tenant_id', '=', tenantId);
    if (filter.machineId !== undefined) q = q.where('machine_id', '=', filter.machineId);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    const rows = await q.orderBy('creation_date_time_utc', 'desc').orderBy('id').limit(1000).execute();
    return rows.map(toSession);
  }

  async countActive(tenantId: string, openedBy: string): Promise<{ tenant: number; person: number }> {
    const rows = await this.#db.selectFrom('live_sessions').select(['opened_by']).where('tenant_id', '=', tenantId).where('state', '=', 'Active').execute();
    return { tenant: rows.length, person: rows.filter((r) => r.opened_by === openedBy).length };
  }

  async activeOfMachine(tenantId: string, machineId: string): Promise<LiveSessionRecord | undefined> {
    const row = await this.#db.selectFrom('live_sessions').selectAll().where('tenant_id', '=', tenantId).where('machine_id', '=', machineId).where('state', '=', 'Active').executeTakeFirst();
    return row && toSession(row);
  }

  async listIdle(before: string): Promise<LiveSessionRecord[]> {
    const rows = await this.#db.selectFrom('live_sessions').selectAll().where('state', '=', 'Active').where('last_activity_date_time_utc', '<', before).limit(500).execute();
    return rows.map(toSession);
  }

  async touch(tenantId: string, id: string, patch: Partial<Pick<LiveSessionRecord, 'currentDirectory' | 'trace' | 'lastActivityDateTimeUtc'>>): Promise<LiveSessionRecord | undefined> {
    const set: Updateable<LiveSessionsTable> = {};
    if (patch.currentDirectory !== undefined) set.current_directory = patch.currentDirectory;
    if (patch.trace !== undefined) set.trace = patch.trace ? 1 : 0;
    if (patch.lastActivityDateTimeUtc !== undefined) set.last_activity_date_time_utc = patch.lastActivityDateTimeUtc;
    if (Object.keys(set).length === 0) return this.get(tenantId, id);
    const row = await this.#db.updateTable('live_sessions').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).where('state', '=', 'Active').returningAll().executeTakeFirst();
    return row && toSession(row);
  }

  async close(tenantId: string, id: string, reason: LiveSessionCloseReason, at: string): Promise<LiveSessionRecord | undefined> {
    const row = await this.#db
      .updateTable('live_sessions')
      .set({ state: 'Closed', close_reason: reason, closed_date_time_utc: at, last_activity_date_time_utc: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', '=', 'Active')
      .returningAll()
      .executeTakeFirst();
    return row && toSession(row);
  }

  async nextCommandId(tenantId: string, sessionId: string): Promise<number> {
    const row = await this.#db
      .updateTable('live_sessions')
      .set((eb) => ({ last_command_id: eb('last_command_id', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', sessionId)
      .returning('last_command_id')
      .executeTakeFirstOrThrow();
    return Number(row.last_command_id);
  }

  async addCommand(c: LiveCommandRecord): Promise<void> {
    await this.#db.insertInto('live_session_commands').values(toCommandRow(c)).execute();
  }

  async getCommand(tenantId: string, sessionId: string, id: number): Promise<LiveCommandRecord | undefined> {
    const row = await this.#db.selectFrom('live_session_commands').selectAll().where('tenant_id', '=', tenantId).where('session_id', '=', sessionId).where('id', '=', id).executeTakeFirst();
    return row && toCommand(row);
  }

  async listCommands(tenantId: string, sessionId: string, filter: { status?: LiveCommandStatus } = {}): Promise<LiveCommandRecord[]> {
    let q = this.#db.selectFrom('live_session_commands').selectAll().where('tenant_id', '=', tenantId).where('session_id', '=', sessionId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return (await q.orderBy('id').execute()).map(toCommand);
  }

  async commandOfAction(tenantId: string, actionId: string): Promise<LiveCommandRecord | undefined> {
    const row = await this.#db.selectFrom('live_session_commands').selectAll().where('tenant_id', '=', tenantId).where('machine_action_id', '=', actionId).executeTakeFirst();
    return row && toCommand(row);
  }

  async updateCommand(tenantId: string, sessionId: string, id: number, expected: { status: readonly LiveCommandStatus[]; nextChunk?: number }, patch: LiveCommandPatch): Promise<LiveCommandRecord | undefined> {
    let q = this.#db
      .updateTable('live_session_commands')
      .set(toCommandPatch(patch))
      .where('tenant_id', '=', tenantId)
      .where('session_id', '=', sessionId)
      .where('id', '=', id)
      .where('status', 'in', [...expected.status]);
    if (expected.nextChunk !== undefined) q = q.where('next_chunk', '=', expected.nextChunk);
    const row = await q.returningAll().executeTakeFirst();
    return row && toCommand(row);
  }

  async appendEvents(tenantId: string, sessionId: string, events: readonly Omit<LiveEventRecord, 'seq'>[]): Promise<LiveEventRecord[]> {
    if (events.length === 0) return [];
    return this.#db.transaction().execute(async (trx) => {
      // The counter's row lock orders appenders of one session across processes.
      const row = await trx
        .updateTable('live_sessions')
        .set((eb) => ({ last_event_seq: eb('last_event_seq', '+', events.length) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', sessionId)
        .returning('last_event_seq')
        .executeTakeFirstOrThrow();
      const first = Number(row.last_event_seq) - events.length + 1;
      const out = events.map((e, i) => ({ ...e, seq: first + i }));
      await trx
        .insertInto('live_session_events')
        .values(out.map((e) => ({ tenant_id: tenantId, session_id: sessionId, seq: e.seq, event: e.event, command_id: e.commandId, data: JSON.stringify(e.data) })))
        .execute();
      return out;
    });
  }

  async listEvents(tenantId: string, sessionId: string, afterSeq: number, limit: number, filter: { event?: LiveEventRecord['event']; commandId?: number } = {}): Promise<LiveEventRecord[]> {
    let q = this.#db.selectFrom('live_session_events').select(['seq', 'event', 'command_id', 'data']).where('tenant_id', '=', tenantId).where('session_id', '=', sessionId).where('seq', '>', afterSeq);
    if (filter.event !== undefined) q = q.where('event', '=', filter.event);
    if (filter.commandId !== undefined) q = q.where('command_id', '=', filter.commandId);
    const rows = await q.orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), event: r.event as LiveEventRecord['event'], commandId: r.command_id === null ? null : Number(r.command_id), data: JSON.parse(r.data) as unknown }));
  }
}

function toSessionRow(s: LiveSessionRecord): Omit<LiveSessionsTable, 'last_command_id' | 'last_event_seq'> {
  return {
    id: s.id,
    tenant_id: s.tenantId,
    machine_id: s.machineId,
    computer_dns_name: s.computerDnsName,
    opened_by: s.openedBy,
    state: s.state,
    current_directory: s.currentDirectory,
    trace: s.trace ? 1 : 0,
    creation_date_time_utc: s.creationDateTimeUtc,
    last_activity_date_time_utc: s.lastActivityDateTimeUtc,
    closed_date_time_utc: s.closedDateTimeUtc,
    close_reason: s.closeReason,
  };
}

function toSession(r: Selectable<LiveSessionsTable>): LiveSessionRecord {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    machineId: r.machine_id,
    computerDnsName: r.computer_dns_name,
    openedBy: r.opened_by,
    state: r.state as LiveSessionState,
    currentDirectory: r.current_directory,
    trace: Boolean(r.trace),
    creationDateTimeUtc: r.creation_date_time_utc,
    lastActivityDateTimeUtc: r.last_activity_date_time_utc,
    closedDateTimeUtc: r.closed_date_time_utc,
    closeReason: r.close_reason as LiveSessionCloseReason | null,
  };
}

function toCommandRow(c: LiveCommandRecord): LiveSessionCommandsTable {
  return {
    tenant_id: c.tenantId,
    session_id: c.sessionId,
    id: c.id,
    command_line: c.commandLine,
    command: c.command,
    argv: JSON.stringify(c.argv),
    cwd: c.cwd,
    requestor: c.requestor,
    background: c.background ? 1 : 0,
    output_format: c.outputFormat,
    status: c.status,
    exit_code: c.exitCode,
    errors: JSON.stringify(c.errors),
    start_date_time_utc: c.startDateTimeUtc,
    end_date_time_utc: c.endDateTimeUtc,
    expires_at: c.expiresAt,
    timeout_ms: c.timeoutMs,
    machine_action_id: c.machineActionId,
    result_file: c.resultFile === null ? null : JSON.stringify(c.resultFile),
    output_truncated: c.outputTruncated ? 1 : 0,
    output_bytes: c.outputBytes,
    next_chunk: c.nextChunk,
  };
}

function toCommandPatch(p: LiveCommandPatch): Partial<LiveSessionCommandsTable> {
  const set: Partial<LiveSessionCommandsTable> = {};
  if (p.status !== undefined) set.status = p.status;
  if (p.exitCode !== undefined) set.exit_code = p.exitCode;
  if (p.errors !== undefined) set.errors = JSON.stringify(p.errors);
  if (p.endDateTimeUtc !== undefined) set.end_date_time_utc = p.endDateTimeUtc;
  if (p.resultFile !== undefined) set.result_file = p.resultFile === null ? null : JSON.stringify(p.resultFile);
  if (p.outputTruncated !== undefined) set.output_truncated = p.outputTruncated ? 1 : 0;
  if (p.outputBytes !== undefined) set.output_bytes = p.outputBytes;
  if (p.nextChunk !== undefined) set.next_chunk = p.nextChunk;
  if (p.machineActionId !== undefined) set.machine_action_id = p.machineActionId;
  return set;
}

function toCommand(r: Selectable<LiveSessionCommandsTable>): LiveCommandRecord {
  return {
    tenantId: r.tenant_id,
    sessionId: r.session_id,
    id: Number(r.id),
    commandLine: r.command_line,
    command: r.command,
    argv: JSON.parse(r.argv) as string[],
    cwd: r.cwd,
    requestor: r.requestor,
    background: Boolean(r.background),
    outputFormat: r.output_format as LiveConsoleOutputFormat,
    status: r.status as LiveCommandStatus,
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
    errors: JSON.parse(r.errors) as string[],
    startDateTimeUtc: r.start_date_time_utc,
    endDateTimeUtc: r.end_date_time_utc,
    expiresAt: r.expires_at,
    timeoutMs: Number(r.timeout_ms),
    machineActionId: r.machine_action_id,
    resultFile: r.result_file === null ? null : (JSON.parse(r.result_file) as LiveCommandRecord['resultFile']),
    outputTruncated: Boolean(r.output_truncated),
    outputBytes: Number(r.output_bytes),
    nextChunk: Number(r.next_chunk),
  };
}
