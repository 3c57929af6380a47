import { Command, Option } from 'commander';

/** `cordon server [--port] [--host] [--data DIR] [--database URL]` */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('run the Cordon control plane (embedded SQLite unless --database is given)')
    .addOption(new Option('--port <port>', 'port to listen on').env('CORDON_PORT'))
    .addOption(new Option('--host <host>', 'address to listen on').env('CORDON_HOST'))
    .addOption(new Option('--data <dir>', 'data directory (SQLite file, keys, credentials)').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL to use PostgreSQL instead of SQLite').env('CORDON_DATABASE_URL'))
    .addOption(new Option('--public-url <url>', 'address clients use to reach the server').env('CORDON_PUBLIC_URL'))
    .addOption(new Option('--agent-server-urls <urls>', 'comma-separated server URLs the onboarding packages it issues give agents to fail over between (default: the public URL)').env('CORDON_AGENT_SERVER_URLS'))
    .addOption(new Option('--tls-cert <file>', 'TLS certificate (PEM); several nodes serve the same one (cordon tls create)').env('CORDON_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'TLS private key (PEM)').env('CORDON_TLS_KEY'))
    .addHelpText('after', '\nExamples:\n  cordon server --data /var/lib/cordon --public-url https://cordon.example --tls-self-signed\n  cordon server --database postgres://cordon@db/cordon --tls-cert cert.pem --tls-key key.pem')
    .addOption(new Option('--tls-self-signed', 'without --tls-cert: generate a self-signed pair under <data>/tls on first start (agents pin it)').env('CORDON_TLS_SELF_SIGNED'))
    .action(async (opts: Record<string, string | undefined>) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { loadConfig, runServer } = await import('@cordon/server');
      const config = loadConfig({ ...process.env, ...flagsToEnv(opts), ...(opts.tlsSelfSigned ? { CORDON_TLS_SELF_SIGNED: '1' } : {}) });
      const server = await runServer(config);
      process.stdout.write(`Cordon server listening on ${server.url} (store: ${server.store.dialect})\n`);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** Maps server flags onto the env names loadConfig reads. */
export function flagsToEnv(opts: Record<string, string | undefined>): Record<string, string> {
  const names: Record<string, string> = {
    port: 'CORDON_PORT',
    host: 'CORDON_HOST',
    data: 'CORDON_DATA',
    database: 'CORDON_DATABASE_URL',
    publicUrl: 'CORDON_PUBLIC_URL',
    agentServerUrls: 'CORDON_AGENT_SERVER_URLS',
    tlsCert: 'CORDON_TLS_CERT',
    tlsKey: 'CORDON_TLS_KEY',
  };
  const env: Record<string, string> = {};
  for (const [flag, name] of Object.entries(names)) {
    const value = opts[flag];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
