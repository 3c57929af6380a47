import type { Command } from 'commander';
import type { ListQuery } from '@cordon/api-client';

export interface ListOptions {
  filter?: string;
  top?: string;
  skip?: string;
  orderby?: string;
  all?: boolean;
}

/** OData list flags shared by `machines list` and `actions list`. */
export function addListOptions(command: Command): Command {
  return command
    .option('--filter <odata>', "OData $filter, e.g. \"status eq 'Pending'\"")
    .option('--top <n>', 'page size ($top)')
    .option('--skip <n>', 'rows to skip ($skip)')
    .option('--orderby <expr>', 'OData $orderby, e.g. "creationDateTimeUtc desc"')
    .option('--all', 'follow @odata.nextLink and print every page')
    .option('--json', 'print the raw entities as a JSON array');
}

export function listQuery(opts: ListOptions, extraFilters: string[] = []): ListQuery {
  const own = opts.filter ? [extraFilters.length > 0 ? `(${opts.filter})` : opts.filter] : [];
  const filters = [...own, ...extraFilters];
  return {
    filter: filters.length > 0 ? filters.join(' and ') : undefined,
    top: opts.top === undefined ? undefined : int(opts.top, '--top'),
    skip: opts.skip === undefined ? undefined : int(opts.skip, '--skip'),
    orderby: opts.orderby,
  };
}

function int(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number, got ${value}`);
  return Number(value);
}

/** An OData string literal: single quotes doubled (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
