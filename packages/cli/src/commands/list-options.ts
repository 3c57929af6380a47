import { InvalidArgumentError, type Command } from 'commander';
import type { ListQuery } from '@cordon/api-client';

export interface ListOptions {
  filter?: string;
  top?: string;
  skip?: string;
  orderby?: string;
  all?: boolean;
}

/** One `--help` example: the arguments after `cordon`, and what they show. */
export interface Example {
  args: string[];
  what: string;
}

/**
 * OData list flags shared by `machines list` and `actions list`, with examples of the listed
 * entity's own fields (a test runs every example against the server's OData parser). Values are
 * checked while the flags are read, before anything is sent.
 */
export function addListOptions(command: Command, examples: { filter: string; orderby: string; more: Example[] }): Command {
  return command
    .option('--filter <odata>', `OData $filter, e.g. "${examples.filter}"`)
    .option('--top <n>', 'page size ($top)', wholeNumberOption('--top'))
    .option('--skip <n>', 'rows to skip ($skip)', wholeNumberOption('--skip'))
    .option('--orderby <expr>', `OData $orderby, e.g. "${examples.orderby}"`)
    .option('--all', 'follow @odata.nextLink and print every page')
    .option('--json', 'print the raw entities as a JSON array')
    .addHelpText('after', formatExamples(examples.more));
}

/** An `Examples:` block of command lines written out (for lines with pipes or redirections, which `Example` cannot hold). */
export function exampleLines(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}

export function formatExamples(examples: Example[]): string {
  const lines = examples.flatMap((e) => [`  # ${e.what}`, `  cordon ${e.args.map(shellQuote).join(' ')}`]);
  return `\nExamples:\n${lines.join('\n')}`;
}

/** Quotes an argument for a POSIX shell only when it needs it (double quotes keep OData's single quotes readable). */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (!/["$`\\!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function wholeNumberOption(flag: string): (value: string) => string {
  return (value) => {
    try {
      int(value, flag);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
    return value;
  };
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
