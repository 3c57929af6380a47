import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_PG_URL, withPgHint } from '../testing/postgres.js';
import { namedStatementPool, statementNames } from './postgres-statements.js';

const schema = `cordon_stmt_${randomBytes(6).toString('hex')}`;
let pool: pg.Pool;

beforeEach(async () => {
  pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 2, options: `-c search_path=${schema}` });
  await withPgHint(() => pool.query(`create schema ${schema}; create table t (id int primary key, a text)`));
});

afterEach(async () => {
  await pool.query(`drop schema ${schema} cascade`);
  await pool.end();
});

async function preparedNames(client: { query: (sql: string, values: unknown[]) => Promise<{ rows: unknown[] }> }): Promise<string[]> {
  const { rows } = await client.query('select name from pg_prepared_statements where $1::int = 1 order by name', [1]);
  return (rows as Array<{ name: string }>).map((r) => r.name);
}

describe(namedStatementPool.name, () => {
  it('should run a parameterised query as one named statement per text, and one without parameters unnamed', async () => {
    const named = namedStatementPool(pool, statementNames());
    const client = await named.connect();
    await client.query('insert into t values ($1, $2)', [1, 'x']);
    const { rows } = await client.query('select * from t where id = $1', [1]);
    await client.query('select * from t where id = $1', [1]);
    await client.query('select 1', []);
    expect(rows).toEqual([{ id: 1, a: 'x' }]);
    expect(await preparedNames(client)).toEqual(['cordon_0', 'cordon_1', 'cordon_2']);
    client.release();
  });

  it('should name no more texts than its bound and run the rest unnamed', async () => {
    const named = namedStatementPool(pool, statementNames(1));
    const client = await named.connect();
    await client.query('select $1::int as n', [1]);
    const { rows } = await client.query('select $1::int + 1 as n', [1]);
    expect(rows).toEqual([{ n: 2 }]);
    expect(await preparedNames(client)).toEqual(['cordon_0']);
    client.release();
  });

  it('should prepare a statement again under a new name when the table it reads changed shape', async () => {
    const named = namedStatementPool(pool, statementNames());
    const client = await named.connect();
    await client.query('insert into t values ($1, $2)', [1, 'x']);
    await client.query('select * from t where id = $1', [1]);
    await pool.query('alter table t add column b text');
    const { rows } = await client.query('select * from t where id = $1', [1]);
    expect(rows).toEqual([{ id: 1, a: 'x', b: null }]);
    client.release();
  });
});
