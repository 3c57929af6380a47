/**
 * Where the PostgreSQL halves of the test suites find a server. They never skip: without a
 * reachable server they fail and say how to point them at one.
 */
export const TEST_PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const PG_UNREACHABLE_HINT = `set CORDON_TEST_PG_URL=postgres://user@host:port/db to point the PostgreSQL tests at a server (tried ${TEST_PG_URL.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')})`;

/** Runs `open`, turning a connection failure into an error that says how to fix it. */
export async function withPgHint<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw new Error(`PostgreSQL not reachable: ${PG_UNREACHABLE_HINT}`, { cause: error });
  }
}
