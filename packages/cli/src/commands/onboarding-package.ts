import { Command, Option } from 'commander';
import { flagsToEnv } from './server.js';

/** `cordon onboarding-package [--tenant T] [--ttl-hours H] [--max-uses N] > onboarding.json` */
export function registerOnboardingPackageCommand(program: Command): void {
  program
    .command('onboarding-package')
    .description('print what a device needs to enroll (server URL, an expiring enrollment secret for --max-uses devices, TLS pin, action-signing key), as JSON')
    .addOption(new Option('--tenant <id>', 'tenant id (default: the only tenant)').env('CORDON_TENANT'))
    .addHelpText('after', '\nExamples:\n  cordon onboarding-package --public-url https://cordon.example > onboarding.json\n  cordon onboarding-package --agent-server-urls https://node1.example:8443,https://node2.example:8443 > onboarding.json\n  cordon onboarding-package --max-uses 50 --ttl-hours 72 > fleet-onboarding.json')
    .addOption(new Option('--ttl-hours <hours>', 'hours until the enrollment secret expires').default('24').env('CORDON_ENROLL_TTL_HOURS'))
    .addOption(new Option('--max-uses <n>', 'devices that may enroll with this secret').default('1').env('CORDON_ENROLL_MAX_USES'))
    .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
    .addOption(new Option('--public-url <url>', 'address devices use to reach the server').env('CORDON_PUBLIC_URL'))
    .addOption(new Option('--agent-server-urls <urls>', 'comma-separated server URLs the agent fails over between, in order (default: the public URL)').env('CORDON_AGENT_SERVER_URLS'))
    .addOption(new Option('--tls-cert <file>', 'the server TLS certificate (PEM) to pin').env('CORDON_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'its key (only checked for presence)').env('CORDON_TLS_KEY'))
    .addOption(new Option('--tls-self-signed', 'pin the self-signed certificate under <data>/tls').env('CORDON_TLS_SELF_SIGNED'))
    .addOption(new Option('--port <port>', 'server port (to derive the public URL)').env('CORDON_PORT'))
    .addOption(new Option('--host <host>', 'server host (to derive the public URL)').env('CORDON_HOST'))
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { issueOnboardingPackage, loadConfig } = await import('@cordon/server');
      const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
      const env = flagsToEnv({ data: str('data'), database: str('database'), publicUrl: str('publicUrl'), agentServerUrls: str('agentServerUrls'), tlsCert: str('tlsCert'), tlsKey: str('tlsKey'), port: str('port'), host: str('host') });
      if (opts.tlsSelfSigned) env.CORDON_TLS_SELF_SIGNED = '1';
      const config = loadConfig({ ...process.env, ...env });
      const ttlHours = Number(opts.ttlHours);
      const maxUses = Number(opts.maxUses);
      if (!(ttlHours > 0) || !Number.isInteger(maxUses) || maxUses < 1) throw new Error('--ttl-hours must be > 0 and --max-uses a positive integer');
      // With --agent-server-urls the devices are told those, whatever the public URL is.
      const warning = unreachablePublicUrlWarning(config.publicUrl, str('publicUrl') !== undefined || str('agentServerUrls') !== undefined);
      if (warning) process.stderr.write(`cordon: warning: ${warning}\n`);
      const pkg = await issueOnboardingPackage(config, { ...(str('tenant') ? { tenantId: str('tenant')! } : {}), ttlMs: ttlHours * 3_600_000, maxUses });
      process.stdout.write(`${JSON.stringify(pkg, null, 2)}\n`);
    });
}

const LOCAL_ONLY_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0', '[::]']);

/**
 * Why a package may strand its device: without --public-url the server URL is derived from
 * --host/--port, and the default (127.0.0.1) or a wildcard (0.0.0.0) is no address another machine
 * can reach. Still written (an agent on the server's own machine is fine), but said on stderr.
 */
export function unreachablePublicUrlWarning(publicUrl: string, explicit: boolean): string | undefined {
  if (explicit || !LOCAL_ONLY_HOSTS.has(new URL(publicUrl).hostname)) return undefined;
  return `devices will be told to reach the server at ${publicUrl}, which only this machine can reach; pass --public-url <address devices use> (or set CORDON_PUBLIC_URL)`;
}
