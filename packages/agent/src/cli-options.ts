/**
 * The options of the agent command, defined once: `cordon agent` (packages/cli) and the packaged
 * `cordon-agent` executable (cli.ts) both build their command with addAgentOptions and run it with
 * runAgentCommand, so the two cannot drift apart. Flags map onto the env names loadAgentConfig reads.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadAgentConfig } from './config.js';
import { createLogger } from './log.js';
import { runAgent } from './main.js';

export interface AgentCommandOptions {
  onboarding?: string;
  state?: string;
  transport?: string;
  platform?: string;
  name?: string;
}

/**
 * Exit status after an Offboard. Distinct from 0 (a stop) and 1 (a failure) so the systemd unit can
 * name it in RestartPreventExitStatus= and not restart the agent into a fresh enrollment.
 */
export const OFFBOARDED_EXIT_CODE = 3;

/**
 * Written into the state directory after an Offboard. The packaged unit has
 * ConditionPathExists=!<state>/offboarded, so a reboot does not enroll the device again with the
 * onboarding file still on disk; installing the package again with a new onboarding file removes it.
 */
export const OFFBOARDED_MARKER = 'offboarded';

export function addAgentOptions(command: Command): Command {
  return command
    .addOption(new Option('--onboarding <file>', 'onboarding package from `cordon onboarding-package` (first start only)').env('CORDON_AGENT_ONBOARDING'))
    .addOption(new Option('--state <dir>', 'state directory: identity, journal, executor state').env('CORDON_AGENT_STATE'))
    .addOption(new Option('--transport <kind>', 'websocket or long-poll').choices(['websocket', 'long-poll']).env('CORDON_AGENT_TRANSPORT'))
    .addOption(new Option('--platform <kind>', 'linux, or fake (TESTS ONLY: simulates every action, enforces nothing)').choices(['linux', 'fake']).env('CORDON_AGENT_PLATFORM'))
    .addOption(new Option('--name <computerDnsName>', 'computer name to report (default: hostname)').env('CORDON_AGENT_NAME'));
}

/** Runs the agent until it is stopped (exit 0) or offboarded (exit OFFBOARDED_EXIT_CODE). */
export async function runAgentCommand(opts: AgentCommandOptions): Promise<never> {
  const env: Record<string, string | undefined> = { ...process.env };
  if (opts.onboarding) env.CORDON_AGENT_ONBOARDING = opts.onboarding;
  if (opts.state) env.CORDON_AGENT_STATE = opts.state;
  if (opts.transport) env.CORDON_AGENT_TRANSPORT = opts.transport;
  if (opts.platform) env.CORDON_AGENT_PLATFORM = opts.platform;
  if (opts.name) env.CORDON_AGENT_NAME = opts.name;
  const config = loadAgentConfig(env);
  const log = createLogger({ name: 'cordon-agent' });
  const agent = await runAgent(config, log);
  process.stdout.write(`Cordon agent running as machine ${agent.identity.machineId}\n`);
  const stop = () => void agent.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const how = await agent.done;
  process.stdout.write(`Cordon agent ${how}\n`);
  if (how === 'offboarded') {
    await writeFile(join(config.stateDir, OFFBOARDED_MARKER), `${new Date().toISOString()}\n`, { mode: 0o600 });
    process.exit(OFFBOARDED_EXIT_CODE);
  }
  process.exit(0);
}
