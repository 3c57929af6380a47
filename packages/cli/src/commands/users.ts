import { Command, Option } from 'commander';
import { flagsToEnv } from './server.js';

/**
 * `cordon users create --name N --password-stdin --roles R1,R2` creates a person who signs in to the
 * web UI; prints `{id, tenantId, name, roles}`. The password is read from stdin (never a flag, which
 * would land in shell history and `ps`). `cordon users disable|enable NAME` revokes or restores a person.
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
    .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
    .action(async (opts: { name: string; displayName?: string; roles: string; passwordStdin?: boolean; tenant?: string; data?: string; database?: string }) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { createUser, userStoreOf, loadConfig, openConfiguredStore, parseRoles, randomIds, systemClock } = await import('@cordon/server');
      const roles = parseRoles(opts.roles);
      if (!opts.passwordStdin) throw new Error('give the password on stdin with --password-stdin (OIDC-only users are not supported by this command yet)');
      const password = (await readStdin()).split(/\r?\n/)[0] ?? '';
      const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
      const store = await openConfiguredStore(config);
      try {
        const tenantId = await pickTenant(store, opts.tenant);
        const user = await createUser(userStoreOf(store), { tenantId, name: opts.name, displayName: opts.displayName, password, roles }, { clock: systemClock, ids: randomIds });
        process.stdout.write(`${JSON.stringify({ id: user.id, tenantId, name: user.name, displayName: user.displayName, roles: user.roles })}\n`);
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
        const { userStoreOf, loadConfig, openConfiguredStore } = await import('@cordon/server');
        const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
        const store = await openConfiguredStore(config);
        try {
          const people = userStoreOf(store);
          const user = await people.findUserByName(name);
          if (!user || !(await people.updateUser(user.id, { disabled }))) throw new Error(`no user named '${name}'`);
          process.stdout.write(`${JSON.stringify({ id: user.id, name: user.name, disabled })}\n`);
        } finally {
          await store.close();
        }
      });
  }
}

async function pickTenant(store: { identity: import('@cordon/core').IdentityStore }, wanted: string | undefined): Promise<string> {
  const tenants = await store.identity.listTenants();
  if (wanted) {
    if (tenants.some((t) => t.id === wanted)) return wanted;
    throw new Error(`tenant ${wanted} does not exist`);
  }
  if (tenants.length === 1) return tenants[0]!.id;
  if (tenants.length === 0) throw new Error('no tenant yet: start the server once (it creates the default tenant), or pass --tenant');
  throw new Error(`several tenants exist; pass --tenant (${tenants.map((t) => t.id).join(', ')})`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
