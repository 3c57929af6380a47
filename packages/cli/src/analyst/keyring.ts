/**
 * The OS keyring, through `@napi-rs/keyring` (keyring-rs: the Secret Service over D-Bus on Linux,
 * the Keychain on macOS, the Credential Manager on Windows; prebuilt binaries, nothing to compile).
 * Profiles keep their secrets here when it answers and fall back to their 0600 file when it does not
 * (a headless server, a container without a session bus, a locked collection with no one to unlock it).
 * The interface is small so the profile code can be tested against an in-memory keyring too.
 */

/** One secret per account under the service `cordon`. */
export interface Keyring {
  /** How `cordon login` and `cordon auth status` name it, e.g. `the OS keyring (Secret Service)`. */
  readonly label: string;
  /** The stored secret, or null when there is none. Rejects when the keyring cannot be reached. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Whether there was a secret to delete. */
  delete(account: string): Promise<boolean>;
}

export const KEYRING_SERVICE = 'cordon';

const PLATFORM_STORE: Partial<Record<NodeJS.Platform, string>> = { linux: 'Secret Service', darwin: 'macOS Keychain', win32: 'Windows Credential Manager' };

/**
 * The OS keyring. On Linux the Secret Service is asked for by name: keyring-rs would otherwise fall
 * back to the kernel's keyutils store, which forgets everything at reboot — the opposite of a profile.
 */
export function osKeyring(): Keyring {
  const entry = async (account: string) => {
    // Loaded on use: a platform without a prebuilt binary then only loses the keyring, not the CLI.
    const { AsyncEntry } = await import('@napi-rs/keyring');
    return new AsyncEntry(KEYRING_SERVICE, account, { linux: { store: 'secret-service' } });
  };
  return {
    label: `the OS keyring (${PLATFORM_STORE[process.platform] ?? process.platform})`,
    get: async (account) => (await entry(account)).getPassword(),
    set: async (account, secret) => (await entry(account)).setPassword(secret),
    delete: async (account) => (await entry(account)).deleteCredential(),
  };
}

/** `CORDON_KEYRING=off` keeps secrets in the profile file even where a keyring answers. */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  return env.CORDON_KEYRING === 'off' ? undefined : osKeyring();
}
