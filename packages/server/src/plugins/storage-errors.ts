/**
 * Storage faults: a full disk or a read-only data directory is neither the client's fault
 * nor an unknown bug. They answer 503 ServiceUnavailable (the request changed nothing and may be
 * retried once an operator frees space), and the log line says which fault it was.
 * SQLite reports them as SQLITE_FULL / SQLITE_READONLY* / SQLITE_IOERR* (better-sqlite3 `code`),
 * PostgreSQL as SQLSTATE 53100 (disk_full), 53000 (insufficient_resources) and 25006
 * (read_only_sql_transaction), Node's fs as ENOSPC / EROFS / EDQUOT.
 */
const SQLITE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/;
const POSTGRES = new Set(['53100', '53000', '25006']);
const ERRNO = new Set(['ENOSPC', 'EROFS', 'EDQUOT']);

/** The fault's name when `error` (or its cause) is a storage fault; undefined otherwise. */
export function storageFault(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (SQLITE.test(code) || POSTGRES.has(code) || ERRNO.has(code)) return code;
  }
  return undefined;
}
