import { Command, Option } from 'commander';
import { APP_PERMISSIONS } from '@cordon/protocol';
import { printTable } from '../analyst/output.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { exampleLines as examples } from './list-options.js';
import { addAdminStoreOptions, withAdminStore, type AdminStoreOptions } from './admin-store.js';

/** Shown by `cordon apps list`: the admin lists have no wide view. */
export const ADMIN_FORMATS = ['table', 'json', 'yaml'] as const;

/**
 * `cordon apps create|list|disable|enable|rotate-secret`, run on the server: they read and write its
 * data directory or database (there is no admin API). The tenant rule is the server's (admin.ts),
 * shared with `cordon users create`.
 */
export function registerAppsCommand(program: Command): void {
  const apps = program.command('apps').description('manage API applications (OAuth2 clients); run on the server').addHelpText('after', examples('cordon apps list', 'cordon apps create --help'));
  addAdminStoreOptions(
    apps
      .command('create')
      .description('create an application and print its credentials once, as JSON')
      .requiredOption('--name <name>', 'display name; becomes the requestor of its actions')
      .requiredOption('--roles <roles>', `comma-separated application permissions (${APP_PERMISSIONS.join(', ')})`)
      .addOption(new Option('--tenant <id>', 'tenant id (default: the only tenant)').env('CORDON_TENANT'))
      .option('--create-tenant', 'create the tenant when it does not exist yet (the default tenant when there is none)')
      .addHelpText('after', examples("cordon apps create --name SOAR --roles Machine.Read.All,Machine.Isolate", 'cordon apps create --name SIEM --roles Machine.Read.All --tenant 2f6c…'))
  ).action(async (opts: AdminStoreOptions & { name: string; roles: string; tenant?: string; createTenant?: boolean }) => {
    const { parseAppRoles } = await import('@cordon/server');
    parseAppRoles(opts.roles); // refuse unknown roles before touching the store
    await withAdminStore(opts, async (store, { adminCreateApplication, randomIds, systemClock }) => {
      const created = await adminCreateApplication({ store, clock: systemClock, ids: randomIds }, { name: opts.name, roles: opts.roles, tenant: opts.tenant, createTenant: opts.createTenant });
      process.stdout.write(`${JSON.stringify({ tenantId: created.tenantId, clientId: created.clientId, clientSecret: created.clientSecret })}\n`);
    });
  });

  addFormatOption(
    addAdminStoreOptions(
      apps
        .command('list')
        .description('list applications (every tenant unless --tenant), oldest first; never their secrets')
        .addOption(new Option('--tenant <id>', 'only this tenant').env('CORDON_TENANT'))
        .option('--json', 'print the applications as a JSON array')
        .addHelpText('after', examples('cordon apps list', 'cordon apps list -o yaml')),
    ),
    [],
    ADMIN_FORMATS,
  ).action(async (opts: AdminStoreOptions & FormatOptions & { tenant?: string }) => {
    await withAdminStore(opts, async (store, { adminListApplications }) => {
      const rows = await adminListApplications({ store }, opts.tenant);
      emit(opts, rows, () =>
        printTable(
          ['CLIENT ID', 'NAME', 'TENANT', 'ROLES', 'CREATED (UTC)', 'DISABLED'],
          rows.map((a) => [a.clientId, a.name, a.tenantId, a.roles.join(','), a.createdAt.slice(0, 19).replace('T', ' '), a.disabled ? 'yes' : 'no']),
        ),
      );
    });
  });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    addAdminStoreOptions(
      apps
        .command(`${verb} <clientId>`)
        .description(disabled ? 'refuse an application: no new tokens, and its existing tokens stop working within 5 seconds' : 'let a disabled application get tokens again')
        .addHelpText('after', examples(`cordon apps ${verb} 5d0c6b8e-3c1a-4a4e-9a52-2f1e0e7b9c11`)),
    ).action(async (clientId: string, opts: AdminStoreOptions) => {
      await withAdminStore(opts, async (store, { adminSetApplicationDisabled }) => {
        await adminSetApplicationDisabled({ store }, clientId, disabled);
        process.stdout.write(`${JSON.stringify({ clientId, disabled })}\n`);
      });
    });
  }

  addAdminStoreOptions(
    apps
      .command('rotate-secret <clientId>')
      .description('give an application a new client secret, printed once as JSON; the old secret gets no more tokens (tokens already issued last until they expire)')
      .addHelpText('after', examples('cordon apps rotate-secret 5d0c6b8e-3c1a-4a4e-9a52-2f1e0e7b9c11 > soar-credentials.json')),
  ).action(async (clientId: string, opts: AdminStoreOptions) => {
    await withAdminStore(opts, async (store, { adminRotateApplicationSecret }) => {
      const rotated = await adminRotateApplicationSecret({ store }, clientId);
      process.stdout.write(`${JSON.stringify({ tenantId: rotated.tenantId, clientId: rotated.clientId, clientSecret: rotated.clientSecret })}\n`);
    });
  });
}
