/**
 * Builds the API client for analyst commands: environment variables (CORDON_SERVER, CORDON_TENANT,
 * CORDON_CLIENT_ID, CORDON_CLIENT_SECRET, CORDON_TOKEN) override the saved profile field by field,
 * so scripts can run without `cordon login`. CORDON_TOKEN replaces the profile's client credentials
 * or session; CORDON_CLIENT_ID/CORDON_CLIENT_SECRET replace its token or session. With both client
 * credentials and a token in the environment, the client credentials are used (they can be renewed).
 * The saved profile is the one `--profile` / CORDON_PROFILE names (a name, or a file when the value
 * has a `/`), else the current one (profile.ts); its secrets come from the OS keyring or its file.
 */
import { Option, type Command } from 'commander';
import { CordonClient, clientCredentialsTokenSource, staticTokenSource, type TokenSource } from '@cordon/api-client';
import { userSessionTokenSource } from '@cordon/api-client/node';
import { keyringFromEnv } from './keyring.js';
import { describeRef, loadProfile, resolveProfileRef, type Profile, type ProfileRef, type SecretStore } from './profile.js';

export interface ConnectionOptions {
  profile?: string;
}

export const PROFILE_OPTION_HELP = 'profile name (see cordon profiles list), or a profile file when it contains a /';

export function addProfileOption(command: Command): Command {
  return command.addOption(new Option('--profile <name>', PROFILE_OPTION_HELP).env('CORDON_PROFILE'));
}

/** The profile a command signs in with, the environment's overrides applied, and where it came from. */
export interface ResolvedProfile {
  profile: Profile;
  ref: ProfileRef;
  /** Where the saved secrets were; `environment` when the sign-in method came from CORDON_* variables. */
  secretStore: SecretStore | 'environment';
}

export async function resolveProfile(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Promise<Profile> {
  return (await resolveProfileDetails(opts, env)).profile;
}

export async function resolveProfileDetails(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedProfile> {
  const ref = await resolveProfileRef(opts.profile, env);
  const loaded = await loadProfile(ref, keyringFromEnv(env));
  const { secretStore: savedStore = 'none', ...rest } = loaded ?? {};
  const saved: Partial<Profile> = rest;
  // A sign-in given in the environment replaces the profile's way of signing in: without this a
  // saved client secret or session would win over CORDON_TOKEN (clientFor prefers them).
  if (env.CORDON_TOKEN) for (const key of ['clientId', 'clientSecret', 'session', 'user'] as const) delete saved[key];
  if (env.CORDON_CLIENT_ID || env.CORDON_CLIENT_SECRET) for (const key of ['token', 'session', 'user'] as const) delete saved[key];
  const merged: Partial<Profile> = {
    ...saved,
    ...defined({ server: env.CORDON_SERVER, tenant: env.CORDON_TENANT, clientId: env.CORDON_CLIENT_ID, clientSecret: env.CORDON_CLIENT_SECRET, token: env.CORDON_TOKEN }),
  };
  if (!merged.server || !merged.tenant) throw new Error(`not signed in: run cordon login (no ${describeRef(ref)}, no CORDON_SERVER/CORDON_TENANT)`);
  const fromEnv = Boolean(env.CORDON_TOKEN || env.CORDON_CLIENT_ID || env.CORDON_CLIENT_SECRET);
  return { profile: merged as Profile, ref, secretStore: fromEnv ? 'environment' : savedStore };
}

/** How a profile signs in, in the order clientFor tries them; undefined when it holds no credentials. */
export type SignInMethod = 'application' | 'user' | 'token';

export function signInMethod(profile: Profile): SignInMethod | undefined {
  if (profile.clientId && profile.clientSecret) return 'application';
  if (profile.session) return 'user';
  if (profile.token) return 'token';
  return undefined;
}

export function tokenSourceFor(profile: Profile): TokenSource {
  switch (signInMethod(profile)) {
    case 'application':
      return clientCredentialsTokenSource({ serverUrl: profile.server, tenantId: profile.tenant, clientId: profile.clientId!, clientSecret: profile.clientSecret! });
    case 'user':
      return userSessionTokenSource(profile.server, { ...profile.session!, tenantId: profile.tenant, user: profile.user ?? '' });
    case 'token':
      return staticTokenSource(profile.token!);
    case undefined:
      throw new Error('the profile has no client credentials, user session or token: run cordon login');
  }
}

export function clientFor(profile: Profile): CordonClient {
  return new CordonClient({ baseUrl: profile.server, token: tokenSourceFor(profile) });
}

export async function connect(opts: ConnectionOptions): Promise<CordonClient> {
  return clientFor(await resolveProfile(opts));
}

function defined<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
