/**
 * `cordon auth status` (which profile, server, tenant and sign-in a command would use, where its
 * secret is, and whether it still gets a token) and `cordon logout` (ends a person's session on the
 * server and removes the profile's secrets), as `gh auth status` / `gh auth logout` do.
 */
import { exampleLines } from './list-options.js';
import { Option, type Command } from 'commander';
import { isCordonApiError } from '@cordon/api-client';
import { signOutUser } from '@cordon/api-client/node';
import { addProfileOption, resolveProfileDetails, signInMethod, tokenSourceFor, type ConnectionOptions, type ResolvedProfile } from '../analyst/connection.js';
import { keyringFromEnv } from '../analyst/keyring.js';
import { EXIT, formatError, printJson, printLine, run } from '../analyst/output.js';
import { describeRef, loadProfile, removeSecrets, resolveProfileRef } from '../analyst/profile.js';

interface StatusOptions extends ConnectionOptions {
  json?: boolean;
  output?: 'text' | 'json';
}

/** What `auth status -o json` prints. */
export interface AuthStatus {
  profile: string | null;
  path: string;
  server: string | null;
  tenant: string | null;
  method: 'application' | 'user' | 'token' | null;
  clientId: string | null;
  user: string | null;
  secretStore: 'keyring' | 'file' | 'environment' | 'none';
  signedIn: boolean;
  /** The token's `exp` as ISO 8601, when it is a JWT. */
  tokenExpiresAt: string | null;
  error: { code: string; message: string } | null;
}

const STATUS_HELP = `
Exit status: 0 when the profile gets a token (an application's or a person's is fetched from the
server; a saved token is checked for expiry), 1 when it does not or there is no profile.

Examples:
  cordon auth status
  cordon auth status --profile lab -o json
  cordon auth status -o json | jq -r .tokenExpiresAt`;

const LOGOUT_HELP = `
For a person (cordon login --user) the session is ended on the server too, so the cookie stops
working everywhere. The profile keeps its server, tenant and sign-in name; cordon login signs in again.

Examples:
  cordon logout
  cordon logout --profile lab`;

export function registerAuthCommands(program: Command): void {
  const auth = program.command('auth').description('show how the analyst commands sign in').addHelpText('after', exampleLines('cordon auth status', 'cordon auth status -o json'));
  addProfileOption(auth.command('status').description('show the profile, server, sign-in and token expiry; exit 1 when not signed in'))
    .addOption(new Option('-o, --output <format>', 'output format (--json is -o json)').choices(['text', 'json']))
    .option('--json', 'print the status as JSON')
    .addHelpText('after', STATUS_HELP)
    .action(
      run(async (opts: StatusOptions) => {
        const status = await authStatus(opts);
        if (opts.json || opts.output === 'json') printJson(status);
        else for (const line of statusLines(status)) printLine(line);
        return status.signedIn ? EXIT.ok : EXIT.error;
      }),
    );

  addProfileOption(program.command('logout').description("remove a profile's saved secrets (and end a person's session on the server)"))
    .option('--json', 'print what was removed as JSON')
    .addHelpText('after', LOGOUT_HELP)
    .action(run(async (opts: ConnectionOptions & { json?: boolean }) => logout(opts)));
}

async function authStatus(opts: ConnectionOptions): Promise<AuthStatus> {
  const ref = await resolveProfileRef(opts.profile);
  const base: AuthStatus = { profile: ref.name ?? null, path: ref.path, server: null, tenant: null, method: null, clientId: null, user: null, secretStore: 'none', signedIn: false, tokenExpiresAt: null, error: null };
  let resolved: ResolvedProfile;
  try {
    resolved = await resolveProfileDetails(opts);
  } catch (err) {
    return { ...base, error: errorOf(err) };
  }
  const { profile, secretStore } = resolved;
  const method = signInMethod(profile) ?? null;
  const status: AuthStatus = { ...base, server: profile.server, tenant: profile.tenant, method, clientId: profile.clientId ?? null, user: profile.user ?? null, secretStore };
  if (!method) return { ...status, error: { code: 'NotSignedIn', message: `${describeRef(ref)} holds no credentials: run cordon login` } };
  try {
    // Fetching a token is the check: the server refuses a wrong secret or an ended session.
    const token = await tokenSourceFor(profile).getToken();
    const exp = expiryOf(token);
    if (exp !== undefined && exp <= Date.now()) return { ...status, tokenExpiresAt: new Date(exp).toISOString(), error: { code: 'TokenExpired', message: 'the saved token has expired: run cordon login' } };
    return { ...status, signedIn: true, tokenExpiresAt: exp === undefined ? null : new Date(exp).toISOString() };
  } catch (err) {
    return { ...status, error: errorOf(err) };
  }
}

function statusLines(s: AuthStatus): string[] {
  const who = s.method === 'application' ? `application ${s.clientId}` : s.method === 'user' ? `user ${s.user}` : s.method === 'token' ? 'a bearer token' : '-';
  const secret = { keyring: 'the OS keyring', file: `${s.path} (mode 0600)`, environment: 'the environment (CORDON_* variables)', none: '-' }[s.secretStore];
  const token = s.signedIn ? (s.tokenExpiresAt ? `valid until ${s.tokenExpiresAt} (${untilText(Date.parse(s.tokenExpiresAt) - Date.now())})` : 'valid') : s.error?.code === 'NotSignedIn' ? (s.error.message.startsWith('not signed in') ? s.error.message : `not signed in: ${s.error.message}`) : `not signed in: ${s.error?.code}: ${s.error?.message}`;
  const fields: Array<[string, string]> = [
    ['profile', s.profile ? `${s.profile} (${s.path})` : s.path],
    ['server', s.server ?? '-'],
    ['tenant', s.tenant ?? '-'],
    ['signed in as', who],
    ['secret in', secret],
    ['token', token],
  ];
  return fields.map(([k, v]) => `${`${k}:`.padEnd(14)}${v}`);
}

async function logout(opts: ConnectionOptions & { json?: boolean }): Promise<number> {
  const ref = await resolveProfileRef(opts.profile);
  const keyring = keyringFromEnv();
  const profile = await loadProfile(ref, keyring);
  if (!profile) throw new Error(`no ${describeRef(ref)}: nothing to log out of`);
  let serverSession: 'ended' | 'already-ended' | 'failed' | null = null;
  let warning: string | undefined;
  if (profile.session) {
    try {
      serverSession = await signOutUser(profile.server, profile.session);
    } catch (err) {
      // The local secrets still go: a server that cannot be reached must not keep them on disk.
      serverSession = 'failed';
      warning = `could not end the session on ${profile.server}: ${formatError(err).replace(/^cordon: /, '')}`;
    }
  }
  const { removed } = await removeSecrets(ref, keyring);
  if (opts.json) {
    printJson({ profile: ref.name ?? null, path: ref.path, removed, serverSession, ...(warning ? { warning } : {}) });
    return EXIT.ok;
  }
  if (serverSession === 'ended') printLine(`ended the session of ${profile.user} on ${profile.server}`);
  if (serverSession === 'already-ended') printLine(`the session of ${profile.user} on ${profile.server} had already ended`);
  if (warning) process.stderr.write(`cordon: ${warning}\n`);
  const what = profile.session ? 'session cookie' : profile.clientSecret ? 'client secret' : 'token';
  if (removed === 'keyring') printLine(`removed the ${what} of ${describeRef(ref)} from ${keyring?.label ?? 'the OS keyring'}`);
  else if (removed === 'file') printLine(`removed the ${what} from ${ref.path}`);
  else printLine(`${describeRef(ref)} held no secrets; nothing removed`);
  return EXIT.ok;
}

/** A JWT's `exp` in milliseconds, or undefined for a token that is not a JWT or has none. */
function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function untilText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `in ${minutes}m`;
  return `in ${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function errorOf(err: unknown): { code: string; message: string } {
  if (isCordonApiError(err)) return { code: err.code, message: err.message };
  return { code: 'NotSignedIn', message: err instanceof Error ? err.message : String(err) };
}
