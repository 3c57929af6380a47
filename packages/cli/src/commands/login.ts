import { Option, type Command } from 'commander';
import { exampleLines } from './list-options.js';
import { clientCredentialsTokenSource } from '@cordon/api-client';
import { signInUser } from '@cordon/api-client/node';
import { profilePath, saveProfile, type Profile } from '../analyst/profile.js';
import { printJson, printLine, run } from '../analyst/output.js';
import { readPassword } from '../analyst/prompt.js';

interface LoginOptions {
  server: string;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  user?: string;
  password?: string;
  token?: string;
  profile?: string;
  json?: boolean;
}

/**
 * `cordon login --server URL --tenant T --client-id ID --client-secret S` verifies the application
 * by fetching a token; `cordon login --server URL --user NAME` signs a person in (password from
 * --password, CORDON_PASSWORD, or a prompt) and keeps the session. Either way the profile is saved
 * with mode 0600. `--token` stores a bearer token as-is.
 */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('save a server profile for the analyst commands (verifies the credentials first)')
    .addOption(new Option('--server <url>', 'server URL').env('CORDON_SERVER').makeOptionMandatory())
    .addOption(new Option('--tenant <id>', 'tenant id (application sign-in)').env('CORDON_TENANT'))
    .addOption(new Option('--client-id <id>', 'application (client) id').env('CORDON_CLIENT_ID'))
    .addOption(new Option('--client-secret <secret>', 'application secret (default: a hidden prompt, or one line of stdin)').env('CORDON_CLIENT_SECRET'))
    .addOption(new Option('--user <name>', 'sign in as a person instead of an application').env('CORDON_USER'))
    .addOption(new Option('--password <password>', 'with --user (default: prompt, or one line of stdin)').env('CORDON_PASSWORD'))
    .addOption(new Option('--token <jwt>', 'store a bearer token obtained elsewhere (its tid claim gives the tenant)').env('CORDON_TOKEN'))
    .addOption(new Option('--profile <file>', 'where to save the profile').env('CORDON_PROFILE'))
    .option('--json', 'print the saved profile (without secrets) as JSON')
    .addHelpText(
      'after',
      exampleLines(
        'cordon login --server https://cordon.example --tenant <tenantId> --client-id <id>   # asks for the secret',
        'cordon login --server https://cordon.example --user alice                          # a person; asks for the password',
        'cordon login --server https://cordon.example --token "$TOKEN"                      # the tenant is the token\'s tid claim',
      ),
    )
    .action(
      run(async (opts: LoginOptions) => {
        const profile = await signIn({ ...opts, server: opts.server.replace(/\/+$/, '') });
        const path = opts.profile ?? profilePath();
        await saveProfile(path, profile);
        const who = profile.user ? `user ${profile.user}` : profile.clientId ? `application ${profile.clientId}` : 'a token';
        if (opts.json) printJson({ server: profile.server, tenant: profile.tenant, clientId: profile.clientId ?? null, user: profile.user ?? null, profile: path });
        else printLine(`signed in to ${profile.server} (tenant ${profile.tenant}) as ${who}; profile saved to ${path}`);
      }),
    );
}

async function signIn(opts: LoginOptions): Promise<Profile> {
  const { server } = opts;
  if (opts.user) {
    const password = opts.password ?? (await readPassword(`password for ${opts.user}: `));
    const session = await signInUser(server, opts.user, password);
    return { server, tenant: session.tenantId, user: session.user, session: { cookie: session.cookie, csrfToken: session.csrfToken } };
  }
  if (opts.token && !opts.clientId) {
    // A token names its tenant (the `tid` claim, as Entra's do); --tenant is only needed when it does not.
    const tenant = opts.tenant ?? tenantOfToken(opts.token);
    if (!tenant) throw new Error('pass --tenant: the token carries no tid claim');
    return { server, tenant, token: opts.token };
  }
  if (!opts.tenant) throw new Error('pass --tenant with --client-id (or sign in a person with --user, or give a --token)');
  if (opts.clientId) {
    // A secret typed at a hidden prompt stays out of shell history and `ps`.
    const clientSecret = opts.clientSecret ?? (await readPassword(`client secret for ${opts.clientId}: `, 'pass --client-secret, set CORDON_CLIENT_SECRET or type it on stdin'));
    await clientCredentialsTokenSource({ serverUrl: server, tenantId: opts.tenant, clientId: opts.clientId, clientSecret }).getToken();
    return { server, tenant: opts.tenant, clientId: opts.clientId, clientSecret };
  }
  throw new Error('pass --client-id (the secret is asked for when not given), --user, or --token');
}

/** The `tid` claim of a JWT, read without verifying it (the server verifies it on every call). */
export function tenantOfToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims.tid === 'string' && claims.tid ? claims.tid : undefined;
  } catch {
    return undefined;
  }
}
