/**
 * The `cordon` command tree, built without parsing anything: main.ts runs it, and
 * tools/gen-cli-docs.ts walks it to write docs/cli.md's command reference.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerServerCommand } from './commands/server.js';
import { registerAppsCommand } from './commands/apps.js';
import { registerUsersCommand } from './commands/users.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerAgentPackageCommand } from './commands/agent-package.js';
import { registerOnboardingPackageCommand } from './commands/onboarding-package.js';
import { registerTlsCommand } from './commands/tls.js';
import { registerAnalystCommands } from './commands/analyst.js';
import { registerCompletionCommand } from './commands/completion.js';
import { exampleLines } from './commands/list-options.js';

/**
 * `configure` runs on the bare program before any command is registered: subcommands copy the
 * output settings when they are created, so main.ts's JSON error output is set there.
 */
export function buildProgram(configure: (program: Command) => void = () => {}): Command {
  const program = new Command();
  // package.json sits one level above both src/ and dist/, so this works built and from source.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  program.name('cordon').description('Cordon endpoint response: server, agent and analyst tools').version(version, '-V, --version', 'print the cordon version').showHelpAfterError('(add --help for usage and examples)');
  configure(program);
  // Before the analyst commands add the exit codes, so the examples come first in `cordon --help`.
  program.addHelpText('after', exampleLines('cordon login --server https://cordon.example --user alice', 'cordon machines list', 'cordon isolate web01.contoso.local --comment "suspicious beaconing" --wait', 'cordon <command> --help'));
  registerServerCommand(program);
  registerAppsCommand(program);
  registerUsersCommand(program);
  registerOnboardingPackageCommand(program);
  registerTlsCommand(program);
  registerAgentCommand(program);
  registerAgentPackageCommand(program);
  registerAnalystCommands(program);
  registerCompletionCommand(program);
  return program;
}
