/**
 * `-o table|wide|json|yaml` for the list and detail commands, as kubectl spells it; `--json` stays
 * as the short form of `-o json`. YAML comes from the `yaml` package (a maintained serializer, not
 * a hand-written one). `--query` is a JMESPath expression applied to the JSON output, as the Azure
 * CLI's `--query` is (MDE users know `az`), evaluated by `@jmespath-community/jmespath`.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { compile, isRegistered, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { stringify } from 'yaml';
import { printJson } from './output.js';

export const FORMATS = ['table', 'wide', 'json', 'yaml', 'tsv'] as const;
export type Format = (typeof FORMATS)[number];

type Expression = ReturnType<typeof compile>;

export interface FormatOptions {
  json?: boolean;
  output?: Format;
  /** The compiled `--query` expression (compiled while the flags are read). */
  query?: Expression;
}

export const QUERY_HELP = `
--query takes a JMESPath expression (https://jmespath.org, as az --query does) over the JSON output
and prints its result as JSON (as YAML with -o yaml). A bad expression stops the command before
anything is sent. -o tsv prints values without quotes, one row per line and fields split by tabs
(as az -o tsv), for shell loops: for id in $(cordon machines list --query "[].id" -o tsv).`;

/** `formats` narrows the choices for a command with no wide view (the admin lists). */
export function addFormatOption(command: Command, queryExamples: string[] = [], formats: readonly Format[] = FORMATS): Command {
  const examples = queryExamples.length > 0 ? `\n\nQuery examples:\n${queryExamples.map((e) => `  ${e}`).join('\n')}` : '';
  return command
    .addOption(new Option('-o, --output <format>', 'output format (--json is -o json)').choices(formats))
    .addOption(new Option('--query <jmespath>', 'JMESPath expression applied to the JSON output (prints JSON)').argParser(parseQuery))
    .addHelpText('after', `${QUERY_HELP}${examples}`);
}

/** Compiles `--query`, and refuses unknown functions too (the library only finds those when it runs). */
export function parseQuery(expression: string): Expression {
  let ast: Expression;
  try {
    ast = compile(expression);
  } catch (err) {
    throw new InvalidArgumentError(`not a JMESPath expression: ${(err as Error).message}`);
  }
  const unknown = functionNames(ast).filter((name) => !isRegistered(name));
  if (unknown.length > 0) throw new InvalidArgumentError(`not a JMESPath expression: unknown function ${unknown.map((n) => `${n}()`).join(', ')}`);
  return ast;
}

function functionNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(functionNames);
  if (node === null || typeof node !== 'object') return [];
  const own = (node as { type?: unknown }).type === 'Function' ? [String((node as { name?: unknown }).name)] : [];
  return [...own, ...Object.values(node).flatMap(functionNames)];
}

export function formatOf(opts: FormatOptions): Format {
  return opts.json ? 'json' : (opts.output ?? 'table');
}

/** Prints `value` as JSON or YAML, or hands table/wide to `human`; with `--query`, its result as JSON (YAML with -o yaml). */
export function emit(opts: FormatOptions, value: unknown, human: (wide: boolean) => void): void {
  const format = formatOf(opts);
  if (opts.query) {
    // The query sees exactly what -o json prints (no undefined fields, dates as strings).
    const result = TreeInterpreter.search(opts.query, JSON.parse(JSON.stringify(value)) as JSONValue);
    if (format === 'yaml') process.stdout.write(stringify(result));
    else if (format === 'tsv') process.stdout.write(tsv(result));
    else printJson(result);
    return;
  }
  if (format === 'tsv') process.stdout.write(tsv(JSON.parse(JSON.stringify(value)) as JSONValue));
  else if (format === 'json') printJson(value);
  else if (format === 'yaml') process.stdout.write(stringify(value));
  else human(format === 'wide');
}

/**
 * `-o tsv`, as the Azure CLI writes it: an array is one line per element, an object (or array) in a
 * line is its values split by tabs, strings are unquoted, null is empty, and anything nested deeper is
 * JSON. Hand-written: a dozen lines, and a CSV library would quote where a shell loop wants none.
 */
export function tsv(value: JSONValue): string {
  const cell = (v: JSONValue): string => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const line = (v: JSONValue): string => (v !== null && typeof v === 'object' ? (Array.isArray(v) ? v : Object.values(v)).map(cell).join('\t') : cell(v));
  const rows = Array.isArray(value) ? value.map(line) : [line(value)];
  return rows.map((r) => `${r}\n`).join('');
}
