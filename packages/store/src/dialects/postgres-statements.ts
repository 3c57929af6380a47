/**
 * Named (server-side prepared) statements for Kysely's pg queries. Kysely sends every query
 * unnamed, so PostgreSQL parses and plans the same text again on every request; a named statement
 * is parsed once per connection and then only bound and executed. Only this folder imports pg.
 */
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * Distinct SQL texts given a name; later ones run unnamed. Each named text costs memory on every
 * pooled connection until it closes, and `$filter` can produce texts without end (an `in` list of
 * each length), so the set is bounded rather than evicted (pg cannot deallocate a statement).
 */
const MAX_NAMED_STATEMENTS = 1000;

/** PostgreSQL's "cached plan must not change result type": the schema changed under the statement. */
const FEATURE_NOT_SUPPORTED = '0A000';

export interface StatementNames {
  nameOf(text: string): string | undefined;
  /** A fresh name for a text whose prepared statement went stale (another node ran a migration). */
  rename(text: string): string | undefined;
}

export function statementNames(max = MAX_NAMED_STATEMENTS): StatementNames {
  const names = new Map<string, string>();
  let issued = 0;
  const issue = (text: string) => {
    if (issued >= max) return undefined;
    const name = `cordon_${issued++}`;
    names.set(text, name);
    return name;
  };
  return {
    nameOf: (text) => names.get(text) ?? issue(text),
    rename: (text) => {
      names.delete(text);
      return issue(text);
    },
  };
}

/**
 * The pool Kysely sees: its clients run parameterised queries as named statements. A query without
 * parameters keeps pg's simple protocol, which also allows several statements in one text (DDL).
 */
export function namedStatementPool(pool: pg.Pool, names: StatementNames = statementNames()): PostgresPool {
  return {
    connect: async () => withNamedStatements(await pool.connect(), names),
    end: () => pool.end(),
  };
}

function withNamedStatements(client: pg.PoolClient, names: StatementNames): PostgresPoolClient {
  const query = async (text: string, values: unknown[]) => {
    const name = names.nameOf(text);
    if (name === undefined) return client.query(text, values);
    try {
      return await client.query({ name, text, values });
    } catch (error) {
      if ((error as { code?: unknown }).code !== FEATURE_NOT_SUPPORTED) throw error;
      // The statement's plan predates a schema change; a new name prepares it again. Inside a
      // transaction the failure has already aborted it, so the retry fails as the query did.
      const fresh = names.rename(text);
      return fresh === undefined ? client.query(text, values) : client.query({ name: fresh, text, values });
    }
  };
  return {
    query: ((textOrCursor: unknown, values?: readonly unknown[]) =>
      typeof textOrCursor === 'string' && values !== undefined && values.length > 0
        ? query(textOrCursor, [...values])
        : client.query(textOrCursor as never, values as never)) as unknown as PostgresPoolClient['query'],
    release: () => client.release(),
  };
}
