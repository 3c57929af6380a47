import { Command, Option } from 'commander';
import { APP_PERMISSIONS } from '@cordon/protocol';
import { flagsToEnv } from './server.js';

/**
 * `cordon apps create --name N --roles R1,R2 [--tenant T] [--create-tenant]` prints `{tenantId, clientId, clientSecret}`; `apps disable|enable ID`.
 * The tenant rule is the server's (admin.ts), shared with `cordon users create`.
 */
export function registerAppsCommand(program: Command): void {
  const apps = program.command('apps').description('manage API applications (OAuth2 clients)');
  apps
    .command('create')
    .description('create an application and print its credentials once, as JSON')
    .requiredOption('--name <name>', 'display name; becomes the requestor of its actions')
    .requiredOption('--roles <roles>', `comma-separated application permissions (${APP_PERMISSIONS.join(', ')})`)
    .addOption(new Option('--tenant <id>', 'tenant id (default: the only tenant)').env('CORDON_TENANT'))
    .option('--create-tenant', 'create the tenant when it does not exist yet (the default tenant when there is none)')
    .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
    .action(async (opts: { name: string; roles: string; tenant?: string; createTenant?: boolean; data?: string; database?: string }) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { adminCreateApplication, loadConfig, openConfiguredStore, parseAppRoles, randomIds, systemClock } = await import('@cordon/server');
      parseAppRoles(opts.roles); // refuse unknown roles before touching the store
      const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
      const store = await openConfiguredStore(config);
      try {
        const created = await adminCreateApplication({ store, clock: systemClock, ids: randomIds }, { name: opts.name, roles: opts.roles, tenant: opts.tenant, createTenant: opts.createTenant });
        process.stdout.write(`${JSON.stringify({ tenantId: created.tenantId, clientId: created.clientId, clientSecret: created.clientSecret })}\n`);
      } finally {
        await store.close();
      }
    });
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    apps
      .command(`${verb} <clientId>`)
      .description(disabled ? 'refuse an application: no new tokens, and its existing tokens stop working within 5 seconds' : 'let a disabled application get tokens again')
      .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
      .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
      .action(async (clientId: string, opts: { data?: string; database?: string }) => {
        const { adminSetApplicationDisabled, loadConfig, openConfiguredStore } = await import('@cordon/server');
        const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
        const store = await openConfiguredStore(config);
        try {
          await adminSetApplicationDisabled({ store }, clientId, disabled);
          process.stdout.write(`${JSON.stringify({ clientId, disabled })}\n`);
        } finally {
          await store.close();
        }
      });
  }
}
