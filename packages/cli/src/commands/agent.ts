import type { Command } from 'commander';
import { addAgentOptions, runAgentCommand, type AgentCommandOptions } from '@cordon/agent';

/** `cordon agent --onboarding onboarding.json [--state DIR]`: enroll once, then serve actions. */
export function registerAgentCommand(program: Command): void {
  addAgentOptions(program.command('agent').description('run the Cordon agent on this device (enrolls on first start with --onboarding)'))
    .addHelpText('after', '\nExamples:\n  cordon agent --onboarding onboarding.json     # enroll, then serve actions\n  cordon agent                                  # later starts: the enrolled identity is kept')
    .action((opts: AgentCommandOptions) => runAgentCommand(opts));
}
