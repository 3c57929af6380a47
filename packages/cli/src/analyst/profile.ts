/**
 * The analyst profile: where the server is and how to sign in, in one JSON file readable only by
 * its owner (mode 0600, like ~/.ssh keys) because it holds a client secret or token.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

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

/** `CORDON_PROFILE`, else `$XDG_CONFIG_HOME/cordon/profile.json`, else `~/.config/cordon/profile.json`. */
export function profilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CORDON_PROFILE) return env.CORDON_PROFILE;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'cordon', 'profile.json');
}

export async function loadProfile(path: string): Promise<Profile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<Profile>;
  if (typeof parsed.server !== 'string' || typeof parsed.tenant !== 'string') throw new Error(`profile ${path} lacks server or tenant; run cordon login`);
  return parsed as Profile;
}

export async function saveProfile(path: string, profile: Profile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; tighten an existing one too.
  await chmod(path, 0o600);
}
