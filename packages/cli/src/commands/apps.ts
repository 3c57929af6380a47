import { Command, Option } from 'commander';
import { APP_PERMISSIONS, toMdeTimestamp } from '@cordon/protocol';
import { flagsToEnv } from './server.js';

/** `cordon apps create --name N --roles R1,R2 [--tenant T]` prints `{tenantId, clientId, clientSecret}`; `apps disable|enable ID`. */
export function registerAppsCommand(program: Command): void {
  const apps = program.command('apps').description('manage API applications (OAuth2 clients)');
  apps
    .command('create')
    .description('create an application and print its credentials once, as JSON')
    .requiredOption('--name <name>', 'display name; becomes the requestor of its actions')
    .requiredOption('--roles <roles>', `comma-separated application permissions (${APP_PERMISSIONS.join(', ')})`)
    .addOption(new Option('--tenant <id>', 'tenant id (default: the only tenant)').env('CORDON_TENANT'))
    .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'))
    .action(async (opts: { name: string; roles: string; tenant?: string; data?: string; database?: string }) => {
      // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
      const { loadConfig, openConfiguredStore, randomIds, systemClock, createApplication } = await import('@cordon/server');
      const roles = opts.roles.split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = roles.filter((r) => !(APP_PERMISSIONS as readonly string[]).includes(r));
      if (unknown.length > 0) throw new Error(`unknown role(s): ${unknown.join(', ')}; known: ${APP_PERMISSIONS.join(', ')}`);
      const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
      const store = await openConfiguredStore(config);
      try {
        const tenantId = await pickTenant(store.identity, opts.tenant, { clock: systemClock, ids: randomIds });
        const created = await createApplication(store.identity, { tenantId, name: opts.name, roles }, { clock: systemClock, ids: randomIds });
        process.stdout.write(`${JSON.stringify({ tenantId, clientId: created.clientId, clientSecret: created.clientSecret })}\n`);
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
        const { loadConfig, openConfiguredStore } = await import('@cordon/server');
        const config = loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
        const store = await openConfiguredStore(config);
        try {
          if (!(await store.identity.setAppDisabled(clientId, disabled))) throw new Error(`no application with client id ${clientId}`);
          process.stdout.write(`${JSON.stringify({ clientId, disabled })}\n`);
        } finally {
          await store.close();
        }
      });
  }
}

async function pickTenant(
  identity: import('@cordon/core').IdentityStore,
  wanted: string | undefined,
  deps: { clock: import('@cordon/core').Clock; ids: import('@cordon/core').IdGenerator },
): Promise<string> {
  if (wanted) {
    if (await identity.getTenant(wanted)) return wanted;
    throw new Error(`tenant ${wanted} does not exist`);
  }
  const tenants = await identity.listTenants();
  if (tenants.length === 1) return tenants[0]!.id;
  if (tenants.length === 0) {
    // No server has started on this store yet: create the default tenant like the first start does.
    const id = deps.ids.uuid();
    await identity.createTenant({ id, name: 'default', createdAt: toMdeTimestamp(deps.clock.now()) });
    return id;
  }
  throw new Error(`several tenants exist; pass --tenant (${tenants.map((t) => t.id).join(', ')})`);
}
