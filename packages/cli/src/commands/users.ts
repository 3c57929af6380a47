import { Command, Option } from 'commander';
import { printTable } from '../analyst/output.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { readHidden } from '../analyst/prompt.js';
import { exampleLines as examples } from './list-options.js';
import { addAdminStoreOptions, withAdminStore, type AdminStoreOptions } from './admin-store.js';
import { ADMIN_FORMATS } from './apps.js';

/**
 * `cordon users create|list|disable|enable|set-password`, run on the server (they read and write
 * its data directory or database). A password is read from stdin with --password-stdin, or at a
 * hidden prompt on a terminal; never from a flag, which would land in shell history and `ps`.
 * The tenant rule is the server's (admin.ts), shared with `cordon apps create`.
 */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('manage people who sign in to the web UI; run on the server').addHelpText('after', examples('cordon users list', 'cordon users set-password alice'));
  addAdminStoreOptions(
    users
      .command('create')
      .description('create a local user with roles')
      .requiredOption('--name <name>', 'sign-in name (letters, digits, . _ @ + -)')
      .option('--display-name <name>', 'shown in the UI and written as requestor of their actions (default: --name)')
      .requiredOption('--roles <roles>', "comma-separated roles as in MDE (e.g. 'View data,Active remediation actions'), or 'all'")
      .option('--password-stdin', 'read the password from standard input (first line); without it a terminal asks')
      .addOption(new Option('--tenant <id>', 'tenant id (default: the only tenant)').env('CORDON_TENANT'))
      .option('--create-tenant', 'create the tenant when it does not exist yet (the default tenant when there is none)')
      .addHelpText('after', examples("cordon users create --name alice --roles 'View data,Active remediation actions'", "printf '%s\\n' \"$PASSWORD\" | cordon users create --name bob --roles all --password-stdin")),
  ).action(async (opts: AdminStoreOptions & { name: string; displayName?: string; roles: string; passwordStdin?: boolean; tenant?: string; createTenant?: boolean }) => {
    const { parseRoles } = await import('@cordon/server');
    parseRoles(opts.roles); // refuse unknown roles before reading the password
    const password = await newPassword(opts.passwordStdin);
    await withAdminStore(opts, async (store, { adminCreateUser, randomIds, systemClock }) => {
      const user = await adminCreateUser({ store, clock: systemClock, ids: randomIds }, { name: opts.name, displayName: opts.displayName, password, roles: opts.roles, tenant: opts.tenant, createTenant: opts.createTenant });
      process.stdout.write(`${JSON.stringify({ id: user.id, tenantId: user.tenantId, name: user.name, displayName: user.displayName, roles: user.roles })}\n`);
    });
  });

  addFormatOption(
    addAdminStoreOptions(
      users
        .command('list')
        .description('list people (every tenant unless --tenant), by name; never their password hashes')
        .addOption(new Option('--tenant <id>', 'only this tenant').env('CORDON_TENANT'))
        .option('--json', 'print the people as a JSON array')
        .addHelpText('after', examples('cordon users list', 'cordon users list -o json')),
    ),
    [],
    ADMIN_FORMATS,
  ).action(async (opts: AdminStoreOptions & FormatOptions & { tenant?: string }) => {
    await withAdminStore(opts, async (store, { adminListUsers }) => {
      const rows = await adminListUsers({ store }, opts.tenant);
      emit(opts, rows, () =>
        printTable(
          ['NAME', 'DISPLAY NAME', 'TENANT', 'ROLES', 'CREATED (UTC)', 'DISABLED'],
          rows.map((u) => [u.name, u.displayName, u.tenantId, u.roles.join(','), u.createdAt.slice(0, 19).replace('T', ' '), u.disabled ? 'yes' : 'no']),
        ),
      );
    });
  });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    addAdminStoreOptions(
      users
        .command(`${verb} <name>`)
        .description(disabled ? 'refuse a person: sessions end and API tokens stop working within 5 seconds' : 'let a disabled person sign in again')
        .addHelpText('after', examples(`cordon users ${verb} alice`)),
    ).action(async (name: string, opts: AdminStoreOptions) => {
      await withAdminStore(opts, async (store, { adminSetUserDisabled }) => {
        const user = await adminSetUserDisabled({ store }, name, disabled);
        process.stdout.write(`${JSON.stringify({ id: user.id, name: user.name, disabled })}\n`);
      });
    });
  }

  addAdminStoreOptions(
    users
      .command('set-password <name>')
      .description('replace a person\'s password (asked twice at a hidden prompt, or read with --password-stdin); their current sessions keep working')
      .option('--password-stdin', 'read the new password from standard input (first line)')
      .addHelpText('after', examples('cordon users set-password alice', "printf '%s\\n' \"$PASSWORD\" | cordon users set-password alice --password-stdin")),
  ).action(async (name: string, opts: AdminStoreOptions & { passwordStdin?: boolean }) => {
    const password = await newPassword(opts.passwordStdin);
    await withAdminStore(opts, async (store, { adminSetUserPassword }) => {
      const user = await adminSetUserPassword({ store }, name, password);
      process.stdout.write(`${JSON.stringify({ id: user.id, name: user.name, passwordChanged: true })}\n`);
    });
  });
}

/**
 * A new password: the first line of stdin with --password-stdin; else, on a terminal, asked twice
 * with echo off (a typo in a hidden password would otherwise lock the person out).
 */
async function newPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return (await readStdin()).split(/\r?\n/)[0] ?? '';
  if (!process.stdin.isTTY) throw new Error('give the password on stdin with --password-stdin, or run on a terminal to be asked for it');
  const [first, again] = await readHidden(['New password: ', 'Again: ']);
  if (again !== first) throw new Error('the passwords differ; nothing was changed');
  return first!;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
