/**
 * Analyst profiles: where a server is and how to sign in to it. Named profiles live under
 * `$XDG_CONFIG_HOME/cordon/` (default `~/.config/cordon/`, mode 0700): `profile.json` is the profile
 * named `default` (the file every earlier version wrote, so nothing needs migrating and an older
 * cordon still reads it), `profiles/<name>.json` every other one, and `config.json` records the
 * current one. Each profile file is mode 0600, like ~/.ssh keys. Its secrets (client secret, token,
 * session cookie) go to the OS keyring when one answers; the file then says `"secretStore":
 * "keyring"` and holds none. Otherwise they stay in the file, in the shape earlier versions wrote.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Keyring } from './keyring.js';

export interface Profile {
  server: string;
  tenant: string;
  clientId?: string;
  clientSecret?: string;
  /** A bearer token obtained elsewhere; used when there are no client credentials or session. */
  token?: string;
  /** A person's sign-in name, with their session (cookie + CSRF token) from `cordon login --user`. */
  user?: string;
  session?: { cookie: string; csrfToken: string };
}

type Secrets = Pick<Profile, 'clientSecret' | 'token' | 'session'>;
const SECRET_KEYS = ['clientSecret', 'token', 'session'] as const;

/** Where a profile's secrets are: the keyring, its own file, or nowhere (signed out). */
export type SecretStore = 'keyring' | 'file' | 'none';

/** A profile chosen by name (`name` set) or by file path (a `--profile` value containing `/`). */
export interface ProfileRef {
  name?: string;
  path: string;
}

export const DEFAULT_PROFILE = 'default';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cordon');
}

export function namedProfilePath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return name === DEFAULT_PROFILE ? join(configDir(env), 'profile.json') : join(configDir(env), 'profiles', `${name}.json`);
}

export function checkProfileName(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad profile name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' (a path to a profile file needs a '/', e.g. ./${name})`);
  return name;
}

/**
 * `--profile` / `CORDON_PROFILE`: a value with a `/` is a profile file (as it always was), any other
 * value a profile name; without one, the current profile from config.json, else `default`.
 */
export async function resolveProfileRef(value: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileRef> {
  if (value?.includes('/')) return { path: value };
  const name = value ? checkProfileName(value) : ((await readConfig(env)).current ?? DEFAULT_PROFILE);
  return { name, path: namedProfilePath(name, env) };
}

/** How messages name a profile: `work`, or the file when it was given as a path. */
export function describeRef(ref: ProfileRef): string {
  return ref.name ? `profile ${ref.name} (${ref.path})` : `profile ${ref.path}`;
}

/** The profile file's contents: the profile with its secrets, and where those were. */
export async function loadProfile(ref: ProfileRef, keyring?: Keyring): Promise<(Profile & { secretStore: SecretStore }) | undefined> {
  const stored = await readJson<Partial<Profile> & { secretStore?: 'keyring' }>(ref.path);
  if (stored === undefined) return undefined;
  if (typeof stored.server !== 'string' || typeof stored.tenant !== 'string') throw new Error(`${describeRef(ref)} lacks server or tenant; run cordon login`);
  const { secretStore, ...profile } = stored as Profile & { secretStore?: 'keyring' };
  if (secretStore !== 'keyring') return { ...profile, secretStore: SECRET_KEYS.some((k) => profile[k] !== undefined) ? 'file' : 'none' };
  if (!keyring) throw new Error(`the secrets of ${describeRef(ref)} are in the OS keyring, and CORDON_KEYRING=off`);
  let secret: string | null;
  try {
    secret = await keyring.get(keyringAccount(ref));
  } catch (err) {
    throw new Error(`the secrets of ${describeRef(ref)} are in ${keyring.label}, which cannot be reached: ${(err as Error).message}`);
  }
  if (secret === null) return { ...profile, secretStore: 'none' };
  return { ...profile, ...(JSON.parse(secret) as Secrets), secretStore: 'keyring' };
}

/** Where `saveProfile` put the secrets; `keyringError` says why the keyring was not used. */
export interface SaveResult {
  secretStore: SecretStore;
  keyringError?: string;
}

export async function saveProfile(ref: ProfileRef, profile: Profile, keyring?: Keyring): Promise<SaveResult> {
  const secrets = Object.fromEntries(SECRET_KEYS.filter((k) => profile[k] !== undefined).map((k) => [k, profile[k]])) as Secrets;
  const rest = Object.fromEntries(Object.entries(profile).filter(([k]) => !(SECRET_KEYS as readonly string[]).includes(k)));
  if (Object.keys(secrets).length === 0) {
    await forgetKeyringSecret(ref, keyring);
    await writePrivate(ref.path, rest, ownDirsOf(ref));
    return { secretStore: 'none' };
  }
  let keyringError = keyring ? undefined : 'CORDON_KEYRING=off';
  if (keyring) {
    try {
      await keyring.set(keyringAccount(ref), JSON.stringify(secrets));
      await writePrivate(ref.path, { ...rest, secretStore: 'keyring' }, ownDirsOf(ref));
      return { secretStore: 'keyring' };
    } catch (err) {
      keyringError = (err as Error).message;
    }
  }
  await writePrivate(ref.path, profile, ownDirsOf(ref));
  return { secretStore: 'file', keyringError };
}

/** Drops the profile's secrets (keyring entry and file fields) and keeps where and who; says what went. */
export async function removeSecrets(ref: ProfileRef, keyring?: Keyring): Promise<{ removed: SecretStore }> {
  const stored = await readJson<Partial<Profile> & { secretStore?: 'keyring' }>(ref.path);
  if (stored === undefined) return { removed: 'none' };
  const inFile = SECRET_KEYS.some((k) => stored[k] !== undefined);
  const fromKeyring = stored.secretStore === 'keyring' && (await forgetKeyringSecret(ref, keyring, true));
  const rest = Object.fromEntries(Object.entries(stored).filter(([k]) => k !== 'secretStore' && !(SECRET_KEYS as readonly string[]).includes(k)));
  await writePrivate(ref.path, rest);
  return { removed: fromKeyring ? 'keyring' : inFile ? 'file' : 'none' };
}

/** The keyring account of a profile: its file's absolute path, however the profile was chosen. */
export function keyringAccount(ref: ProfileRef): string {
  return resolve(ref.path);
}

async function forgetKeyringSecret(ref: ProfileRef, keyring: Keyring | undefined, mustReach = false): Promise<boolean> {
  if (!keyring) return false;
  try {
    return await keyring.delete(keyringAccount(ref));
  } catch (err) {
    // Saving to the file because the keyring is away must not fail on it; logging out must say so.
    if (mustReach) throw new Error(`cannot remove the secrets of ${describeRef(ref)} from ${keyring.label}: ${(err as Error).message}`);
    return false;
  }
}

/** Every named profile: `default` when profile.json exists, then profiles/*.json, by name. */
export async function listProfileNames(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const names: string[] = [];
  if ((await readJson(namedProfilePath(DEFAULT_PROFILE, env))) !== undefined) names.push(DEFAULT_PROFILE);
  let files: string[] = [];
  try {
    files = await readdir(join(configDir(env), 'profiles'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const named = files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).filter((n) => NAME.test(n) && n !== DEFAULT_PROFILE);
  return [...names, ...named.sort()];
}

interface CliConfig {
  current?: string;
}

export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<CliConfig> {
  const path = join(configDir(env), 'config.json');
  const config = (await readJson<CliConfig>(path)) ?? {};
  if (config.current !== undefined && (typeof config.current !== 'string' || !NAME.test(config.current))) throw new Error(`${path}: "current" is not a profile name; run cordon profiles use <name>`);
  return config;
}

export async function setCurrentProfile(name: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await writePrivate(join(configDir(env), 'config.json'), { ...(await readConfig(env)), current: checkProfileName(name) }, [configDir(env)]);
}

async function readJson<T = unknown>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Writes a file only its owner can read. `ownDirs` (the config folder and profiles/ folder) are
 * tightened to 0700 too; a folder the user named with a profile path is left as it is.
 */
async function writePrivate(path: string, value: unknown, ownDirs: string[] = []): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to folders it creates; an older cordon made them with the umask.
  for (const dir of ownDirs) await chmod(dir, 0o700);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; tighten an existing one too.
  await chmod(path, 0o600);
}

/** The folders cordon owns above a named profile's file (none for a profile given as a path). */
function ownDirsOf(ref: ProfileRef): string[] {
  if (!ref.name) return [];
  const dir = dirname(ref.path);
  return ref.name === DEFAULT_PROFILE ? [dir] : [dirname(dir), dir];
}
