/**
 * `-o table|wide|json|yaml` for the list and detail commands, as kubectl spells it; `--json` stays
 * as the short form of `-o json`. YAML comes from the `yaml` package (a maintained serializer, not
 * a hand-written one).
 */
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { printJson } from './output.js';

export const FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  json?: boolean;
  output?: Format;
}

/** `formats` narrows the choices for a command with no wide view (the admin lists). */
export function addFormatOption(command: Command, formats: readonly Format[] = FORMATS): Command {
  return command.addOption(new Option('-o, --output <format>', 'output format (--json is -o json)').choices(formats));
}

export function formatOf(opts: FormatOptions): Format {
  return opts.json ? 'json' : (opts.output ?? 'table');
}

/** Prints `value` as JSON or YAML, or hands table/wide to `human`. */
export function emit(opts: FormatOptions, value: unknown, human: (wide: boolean) => void): void {
  const format = formatOf(opts);
  if (format === 'json') printJson(value);
  else if (format === 'yaml') process.stdout.write(stringify(value));
  else human(format === 'wide');
}
