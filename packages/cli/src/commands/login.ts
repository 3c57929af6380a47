import { Option, type Command } from 'commander';
import { clientCredentialsTokenSource } from '@cordon/api-client';
import { signInUser } from '@cordon/api-client/node';
import { DEFAULT_PROFILE, describeRef, readConfig, resolveProfileRef, saveProfile, setCurrentProfile, type Profile, type ProfileRef, type SaveResult } from '../analyst/profile.js';
import { keyringFromEnv, type Keyring } from '../analyst/keyring.js';
import { PROFILE_OPTION_HELP } from '../analyst/connection.js';
import { printJson, printLine, run } from '../analyst/output.js';
import { readPassword } from '../analyst/prompt.js';
import { stat } from 'node:fs/promises';

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

const LOGIN_EXAMPLES = `
Examples:
  # an application; the secret is asked for at a hidden prompt
  cordon login --server https://cordon.example --tenant <tenantId> --client-id <id>
  # a person, into a second named profile (the first profile saved becomes the current one)
  cordon login --profile lab --server https://lab.cordon.example --user alice
  # a bearer token obtained elsewhere (the tenant is its tid claim)
  cordon login --server https://cordon.example --token "$(cat token.jwt)"
  # a profile file of its own (a value with a / is a path)
  cordon login --profile ./ci-profile.json --server https://cordon.example --tenant <t> --client-id <id>

The client secret, token or session cookie goes to the OS keyring (Secret Service, macOS Keychain,
Windows Credential Manager) when one answers, else into the profile file (mode 0600); login says which.
CORDON_KEYRING=off keeps it in the file.`;

/**
 * `cordon login --server URL --tenant T --client-id ID --client-secret S` verifies the application
 * by fetching a token; `cordon login --server URL --user NAME` signs a person in (password from
 * --password, CORDON_PASSWORD, or a prompt) and keeps the session. Either way the profile is saved
 * with mode 0600 and its secret in the OS keyring when there is one. `--token` stores a bearer
 * token as-is.
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
    .addOption(new Option('--profile <name>', `${PROFILE_OPTION_HELP}; created or updated (default: the current profile)`).env('CORDON_PROFILE'))
    .option('--json', 'print the saved profile (without secrets) as JSON')
    .addHelpText('after', LOGIN_EXAMPLES)
    .action(
      run(async (opts: LoginOptions) => {
        // The name is checked before anything is sent.
        const ref = await resolveProfileRef(opts.profile);
        const profile = await signIn({ ...opts, server: opts.server.replace(/\/+$/, '') });
        const keyring = keyringFromEnv();
        const saved = await saveProfile(ref, profile, keyring);
        const current = await becomeCurrentIfFirst(ref);
        const who = profile.user ? `user ${profile.user}` : profile.clientId ? `application ${profile.clientId}` : 'a token';
        const secret = secretWord(profile);
        if (opts.json) {
          // `profile` stays the file's path, as it was before profiles had names.
          printJson({ server: profile.server, tenant: profile.tenant, clientId: profile.clientId ?? null, user: profile.user ?? null, profile: ref.path, name: ref.name ?? null, current, secretStore: saved.secretStore });
          return;
        }
        printLine(`signed in to ${profile.server} (tenant ${profile.tenant}) as ${who}; ${describeRef(ref)} saved${current ? ' (current)' : ''}`);
        printLine(whereSecretWent(secret, saved, ref, keyring));
      }),
    );
}

function secretWord(profile: Profile): string {
  return profile.session ? 'session cookie' : profile.clientSecret ? 'client secret' : 'token';
}

export function whereSecretWent(secret: string, saved: SaveResult, ref: ProfileRef, keyring: Keyring | undefined): string {
  if (saved.secretStore === 'keyring') return `${secret} stored in ${keyring?.label ?? 'the OS keyring'}`;
  return `${secret} stored in ${ref.path} (mode 0600): no OS keyring (${saved.keyringError ?? 'unavailable'})`;
}

/**
 * The first profile saved becomes the current one. Until config.json names one, the current profile
 * is `default` (the profile.json of earlier versions), so a named profile takes over only when no
 * default profile exists. Returns whether `ref` is now the current profile.
 */
async function becomeCurrentIfFirst(ref: ProfileRef): Promise<boolean> {
  if (!ref.name) return false;
  const { current } = await readConfig();
  if (current) return current === ref.name;
  if (ref.name === DEFAULT_PROFILE) return true;
  const defaultExists = await stat((await resolveProfileRef(DEFAULT_PROFILE)).path).then(
    () => true,
    () => false,
  );
  if (defaultExists) return false;
  await setCurrentProfile(ref.name);
  return true;
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
