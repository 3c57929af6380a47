import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';

/** `cordon agent-package --format deb|tar --out DIR [--onboarding FILE]`: the installable agent. */
export function registerAgentPackageCommand(program: Command): void {
  program
    .command('agent-package')
    .description('write the cordon-agent package (.deb, or .tar.gz with install.sh) built from `npm run build:agent`')
    .addOption(new Option('--format <format>', 'deb, or tar for hosts without dpkg').choices(['deb', 'tar']).default('deb'))
    .requiredOption('--out <dir>', 'directory to write the package to')
    .addHelpText('after', '\nExamples:\n  cordon agent-package --out dist/ --onboarding onboarding.json\n  cordon agent-package --format tar --out dist/')
    .addOption(new Option('--onboarding <file>', 'onboarding package to install as /etc/cordon/onboarding.json: the agent enrolls and starts when installed'))
    .action(async (opts: { format: 'deb' | 'tar'; out: string; onboarding?: string }) => {
      // Loaded on use, like onboarding-package: the agent command must not pull in the server.
      const { buildAgentPackage } = await import('@cordon/server');
      const onboardingJson = opts.onboarding === undefined ? undefined : await readFile(opts.onboarding, 'utf8');
      const file = await buildAgentPackage({ format: opts.format, outDir: opts.out, ...(onboardingJson !== undefined ? { onboardingJson } : {}) });
      process.stdout.write(`${file}\n`);
    });
}
