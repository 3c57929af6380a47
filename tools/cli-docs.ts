/**
 * docs/cli.md's command reference, generated from the commands' own `--help`: the command tree is
 * walked as `cordon completion` walks it (commandTree), and each command's help is rendered by
 * commander exactly as `cordon <command> --help` prints it, at a fixed width and without colour,
 * so the output depends on the commands alone. Everything outside the markers is hand-written.
 */
import type { Command } from 'commander';
import { buildProgram } from '../packages/cli/src/program.js';
import { commandTree, type Node } from '../packages/cli/src/commands/completion.js';

export const CLI_DOC_PATH = 'docs/cli.md';
export const BEGIN = '<!-- BEGIN command reference: generated from --help by `npm run gen:cli-docs`; do not edit by hand -->';
export const END = '<!-- END command reference -->';
/** Columns commander wraps the help at (its default follows the terminal, which would vary). */
const HELP_WIDTH = 100;

/** What `cordon <path> --help` prints (afterHelp text, i.e. the examples, included). */
export function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s), getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH, getOutHasColors: () => false, getErrHasColors: () => false });
  command.outputHelp();
  return text;
}

export function commandNodes(): Node[] {
  return commandTree(buildProgram());
}

/** One `### cordon …` section per command, depth first in registration order. */
export function renderCliReference(nodes: readonly Node[]): string {
  const sections = nodes.map((n) => `### \`${['cordon', ...n.path].join(' ')}\`\n\n\`\`\`text\n${helpOf(n.command).trimEnd()}\n\`\`\``);
  return `${BEGIN}\n\n${sections.join('\n\n')}\n\n${END}`;
}

/** `markdown` with the text between the markers replaced by `reference`; refuses a file without both markers. */
export function withCliReference(markdown: string, reference: string): string {
  const begin = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${CLI_DOC_PATH} needs the markers ${BEGIN} and ${END} around the command reference`);
  return `${markdown.slice(0, begin)}${reference}${markdown.slice(end + END.length)}`;
}
