import { Command, Option } from 'commander';
import { exampleLines } from './list-options.js';

/** `cordon tls create --out DIR [--hostname H]...`: one certificate for every server node. */
export function registerTlsCommand(program: Command): void {
  const tls = program.command('tls').description('TLS material for the server').addHelpText('after', exampleLines('cordon tls create --out /etc/cordon/tls --hostname cordon.example'));
  tls
    .command('create')
    .description('write a self-signed certificate and key (cert.pem, key.pem) for every node of a multi-node server to serve, so one agent pin fits them all')
    .requiredOption('--out <dir>', 'directory to write cert.pem and key.pem (0600) to; refused when cert.pem exists')
    .addOption(new Option('--hostname <name...>', 'host names and addresses to put in the certificate (agents pin it and ignore names; browsers and curl do not)').default(['localhost']))
    .addHelpText('after', '\nExamples:\n  cordon tls create --out /etc/cordon/tls --hostname cordon.example 10.0.0.10\n  cordon server --tls-cert /etc/cordon/tls/cert.pem --tls-key /etc/cordon/tls/key.pem')
    .action(async (opts: { out: string; hostname: string[] }) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { createTlsFiles } = await import('@cordon/server');
      const created = await createTlsFiles(opts.out, opts.hostname);
      process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    });
}
