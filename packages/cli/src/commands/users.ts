import { Command, Option } from 'commander';
import { flagsToEnv } from './server.js';

/**
 * `cordon users create --name N --password-stdin --roles R1,R2` creates a person who signs in to the
 * web UI; prints `{id, tenantId, name, roles}`. The password is read from stdin (never a flag, which
 * would land in shell history and `ps`). `cordon users disable|enable NAME` revokes or restores a person.
 * The tenant rule is the server's (admin.ts), shared with `cordon apps create`.
 */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('manage people who sign in to the web UI');
  users
    .command('create')
    .description('create a local user with roles')
    .requiredOption('--name <name>', 'sign-in name (letters, digits, . _ @ + -)')
    .option('--display-name <name>', 'shown in the UI and written as requestor of their actions (default: --name)')
    .requiredOption('--roles <roles>', "comma-separated roles as in MDE (e.g. 'View data,Active remediation actions'), or 'all'")
    .option('--password-stdin', 'read the password from standard input (first line)')
    .addOption(new Option('--tenant <id>', 'tenant id (default: the only tenant)').env('CORDON_TENANT'))
    .option('--create-tenant', 'create the tenant when it does not exist yet (the default tenant when there is none)')
    .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
    .action(async (opts: { name: string; displayName?: string; roles: string; passwordStdin?: boolean; tenant?: string; createTenant?: boolean; data?: string; database?: string }) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { adminCreateUser, loadConfig, openConfiguredStore, parseRoles, randomIds, systemClock } = await import('@cordon/server');
      parseRoles(opts.roles); // refuse unknown roles before reading the password
      if (!opts.passwordStdin) throw new Error('give the password on stdin with --password-stdin (OIDC-only users are not supported by this command yet)');
      const password = (await readStdin()).split(/\r?\n/)[0] ?? '';
      const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
      const store = await openConfiguredStore(config);
      try {
        const user = await adminCreateUser({ store, clock: systemClock, ids: randomIds }, { name: opts.name, displayName: opts.displayName, password, roles: opts.roles, tenant: opts.tenant, createTenant: opts.createTenant });
        process.stdout.write(`${JSON.stringify({ id: user.id, tenantId: user.tenantId, name: user.name, displayName: user.displayName, roles: user.roles })}\n`);
      } finally {
        await store.close();
      }
    });
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    users
      .command(`${verb} <name>`)
      .description(disabled ? 'refuse a person: sessions end and API tokens stop working within 5 seconds' : 'let a disabled person sign in again')
      .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
      .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
      .action(async (name: string, opts: { data?: string; database?: string }) => {
        const { adminSetUserDisabled, loadConfig, openConfiguredStore } = await import('@cordon/server');
        const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
        const store = await openConfiguredStore(config);
        try {
          const user = await adminSetUserDisabled({ store }, name, disabled);
          process.stdout.write(`${JSON.stringify({ id: user.id, name: user.name, disabled })}\n`);
        } finally {
          await store.close();
        }
      });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
