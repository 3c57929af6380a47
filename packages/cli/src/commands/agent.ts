import { Command, Option } from 'commander';
import { createLogger, loadAgentConfig, runAgent } from '@cordon/agent';

/** `cordon agent --onboarding onboarding.json [--state DIR]`: enroll once, then serve actions. */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run the Cordon agent on this device (enrolls on first start with --onboarding)')
    .addOption(new Option('--onboarding <file>', 'onboarding package from `cordon onboarding-package` (first start only)').env('CORDON_AGENT_ONBOARDING'))
    .addOption(new Option('--state <dir>', 'state directory: identity, journal, executor state').env('CORDON_AGENT_STATE'))
    .addOption(new Option('--transport <kind>', 'websocket or long-poll').choices(['websocket', 'long-poll']).env('CORDON_AGENT_TRANSPORT'))
    .addOption(new Option('--platform <kind>', 'linux, or fake (TESTS ONLY: simulates every action, enforces nothing)').choices(['linux', 'fake']).env('CORDON_AGENT_PLATFORM'))
    .addOption(new Option('--name <computerDnsName>', 'computer name to report (default: hostname)').env('CORDON_AGENT_NAME'))
    .action(async (opts: { onboarding?: string; state?: string; transport?: string; platform?: string; name?: string }) => {
      const env: Record<string, string | undefined> = { ...process.env };
      if (opts.onboarding) env.CORDON_AGENT_ONBOARDING = opts.onboarding;
      if (opts.state) env.CORDON_AGENT_STATE = opts.state;
      if (opts.transport) env.CORDON_AGENT_TRANSPORT = opts.transport;
      if (opts.platform) env.CORDON_AGENT_PLATFORM = opts.platform;
      if (opts.name) env.CORDON_AGENT_NAME = opts.name;
      const log = createLogger({ name: 'cordon-agent' });
      const agent = await runAgent(loadAgentConfig(env), log);
      process.stdout.write(`Cordon agent running as machine ${agent.identity.machineId}\n`);
      const stop = () => void agent.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const how = await agent.done;
      process.stdout.write(`Cordon agent ${how}\n`);
      process.exit(0);
    });
}
