/**
 * Builds the API client for analyst commands: environment variables (CORDON_SERVER, CORDON_TENANT,
 * CORDON_CLIENT_ID, CORDON_CLIENT_SECRET, CORDON_TOKEN) override the saved profile field by field,
 * so scripts can run without `cordon login`. CORDON_TOKEN replaces the profile's client credentials
 * or session; CORDON_CLIENT_ID/CORDON_CLIENT_SECRET replace its token or session. With both client
 * credentials and a token in the environment, the client credentials are used (they can be renewed).
 */
import { Option, type Command } from 'commander';
import { CordonClient, clientCredentialsTokenSource, staticTokenSource } from '@cordon/api-client';
import { userSessionTokenSource } from '@cordon/api-client/node';
import { loadProfile, profilePath, type Profile } from './profile.js';

export interface ConnectionOptions {
  profile?: string;
}

export function addProfileOption(command: Command): Command {
  return command.addOption(new Option('--profile <file>', 'profile file written by cordon login').env('CORDON_PROFILE'));
}

export async function resolveProfile(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Promise<Profile> {
  const path = opts.profile ?? profilePath(env);
  const saved: Partial<Profile> = { ...(await loadProfile(path)) };
  // A sign-in given in the environment replaces the profile's way of signing in: without this a
  // saved client secret or session would win over CORDON_TOKEN (clientFor prefers them).
  if (env.CORDON_TOKEN) for (const key of ['clientId', 'clientSecret', 'session', 'user'] as const) delete saved[key];
  if (env.CORDON_CLIENT_ID || env.CORDON_CLIENT_SECRET) for (const key of ['token', 'session', 'user'] as const) delete saved[key];
  const merged: Partial<Profile> = {
    ...saved,
    ...defined({ server: env.CORDON_SERVER, tenant: env.CORDON_TENANT, clientId: env.CORDON_CLIENT_ID, clientSecret: env.CORDON_CLIENT_SECRET, token: env.CORDON_TOKEN }),
  };
  if (!merged.server || !merged.tenant) throw new Error(`not signed in: run cordon login (no profile at ${path}, no CORDON_SERVER/CORDON_TENANT)`);
  return merged as Profile;
}

export function clientFor(profile: Profile): CordonClient {
  if (profile.clientId && profile.clientSecret) {
    const tokens = clientCredentialsTokenSource({ serverUrl: profile.server, tenantId: profile.tenant, clientId: profile.clientId, clientSecret: profile.clientSecret });
    return new CordonClient({ baseUrl: profile.server, token: tokens });
  }
  if (profile.session) {
    const session = { ...profile.session, tenantId: profile.tenant, user: profile.user ?? '' };
    return new CordonClient({ baseUrl: profile.server, token: userSessionTokenSource(profile.server, session) });
  }
  if (profile.token) return new CordonClient({ baseUrl: profile.server, token: staticTokenSource(profile.token) });
  throw new Error('the profile has no client credentials, user session or token: run cordon login');
}

export async function connect(opts: ConnectionOptions): Promise<CordonClient> {
  return clientFor(await resolveProfile(opts));
}

function defined<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
