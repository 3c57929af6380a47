/**
 * The packaged `cordon-agent` executable (bundled by tools/build-agent.ts): the agent alone, with
 * the same options as `cordon agent` and nothing of the server, store, web UI or analyst CLI.
 */
import { Command } from 'commander';
import { addAgentOptions, runAgentCommand, type AgentCommandOptions } from './cli-options.js';
import { AGENT_VERSION } from './device-info.js';

const program = addAgentOptions(new Command('cordon-agent'))
  .description('the Cordon endpoint agent: enrolls on first start with --onboarding, then serves actions')
  .version(AGENT_VERSION)
  .showHelpAfterError()
  .action((opts: AgentCommandOptions) => runAgentCommand(opts));

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`cordon-agent: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
