import type { SelectQueryBuilder } from 'kysely';

/** `count(*)` of a filtered query (ignores paging). PostgreSQL returns bigint as text, hence Number(). */
export async function countOf<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const row = (await qb.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()) as unknown as { n: number | string };
  return Number(row.n);
}
