/** JSON-in-TEXT helpers shared by the row mappers. */

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function toJsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function fromJsonOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Written as 0/1 (better-sqlite3 cannot bind booleans; PostgreSQL reads '1'/'0' as boolean). */
export function toDbBool(value: boolean): number {
  return value ? 1 : 0;
}

/** SQLite hands back 0/1, PostgreSQL true/false. */
export function fromDbBool(value: number | boolean): boolean {
  return Boolean(value);
}
