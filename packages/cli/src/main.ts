#!/usr/bin/env node
/**
 * The `cordon` executable: one binary, subcommands. Each flag has an env fallback declared next to
 * it (house style 8.8); flags are mapped onto the env names that each package's loadConfig reads.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerServerCommand } from './commands/server.js';
import { registerAppsCommand } from './commands/apps.js';
import { registerUsersCommand } from './commands/users.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerAgentPackageCommand } from './commands/agent-package.js';
import { registerOnboardingPackageCommand } from './commands/onboarding-package.js';
import { registerAnalystCommands } from './commands/analyst.js';
import { registerCompletionCommand } from './commands/completion.js';
import { argvWantsJson, CLI_ERROR_CODES, endQuietlyWhenReaderCloses, formatJsonError } from './analyst/output.js';

endQuietlyWhenReaderCloses();

const program = new Command();
// package.json sits one level above both src/ and dist/, so this works built and from source.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
program.name('cordon').description('Cordon endpoint response: server, agent and analyst tools').version(version, '-V, --version', 'print the cordon version').showHelpAfterError();
// Under --json / -o json a usage error commander finds is the JSON error envelope alone (no help
// text after it), so a script parses every failure the same way. Set before the commands are
// registered: subcommands copy the output settings when they are created.
const jsonErrors = argvWantsJson(process.argv.slice(2));
if (jsonErrors) {
  program.configureOutput({
    outputError: (message) => process.stderr.write(`${formatJsonError(new Error(message.trim().replace(/^error:\s*/, '')), CLI_ERROR_CODES.usage)}\n`),
    writeErr: () => {},
  });
}
registerServerCommand(program);
registerAppsCommand(program);
registerUsersCommand(program);
registerOnboardingPackageCommand(program);
registerAgentCommand(program);
registerAgentPackageCommand(program);
registerAnalystCommands(program);
registerCompletionCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(jsonErrors ? `${formatJsonError(err)}\n` : `cordon: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
