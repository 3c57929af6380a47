import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Keyring } from './keyring.js';
import { keyringAccount, listProfileNames, loadProfile, removeSecrets, resolveProfileRef, saveProfile, setCurrentProfile } from './profile.js';

/** The keyring branch through its interface: an in-memory keyring, or one that fails like an absent D-Bus. */
function memoryKeyring(unavailable?: string): Keyring & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const check = () => {
    if (unavailable) throw new Error(unavailable);
  };
  return {
    label: 'the test keyring',
    entries,
    get: async (account) => (check(), entries.get(account) ?? null),
    set: async (account, secret) => {
      check();
      entries.set(account, secret);
    },
    delete: async (account) => (check(), entries.delete(account)),
  };
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function tempRef(name = 'work') {
  dir = await mkdtemp(join(tmpdir(), 'cordon-profiles-'));
  const env = { XDG_CONFIG_HOME: dir };
  return { env, ref: await resolveProfileRef(name, env) };
}

const app = { server: 'http://s', tenant: 't', clientId: 'c', clientSecret: 'x' };

describe('profile secrets', () => {
  it('should keep the secrets in the keyring and none in the file when the keyring answers', async () => {
    const { ref } = await tempRef();
    const keyring = memoryKeyring();
    expect(await saveProfile(ref, app, keyring)).toEqual({ secretStore: 'keyring' });
    expect(JSON.parse(await readFile(ref.path, 'utf8'))).toEqual({ server: 'http://s', tenant: 't', clientId: 'c', secretStore: 'keyring' });
    expect([...keyring.entries]).toEqual([[resolve(ref.path), JSON.stringify({ clientSecret: 'x' })]]);
    expect(await loadProfile(ref, keyring)).toEqual({ ...app, secretStore: 'keyring' });
  });

  it('should fall back to the 0600 file, saying why, when the keyring cannot be reached', async () => {
    const { ref } = await tempRef();
    expect(await saveProfile(ref, app, memoryKeyring('no session bus'))).toEqual({ secretStore: 'file', keyringError: 'no session bus' });
    expect(JSON.parse(await readFile(ref.path, 'utf8'))).toEqual(app);
    expect((await stat(ref.path)).mode & 0o777).toBe(0o600);
    expect(await loadProfile(ref, memoryKeyring('no session bus'))).toEqual({ ...app, secretStore: 'file' });
  });

  it('should say the keyring cannot be reached when a profile keeps its secrets there', async () => {
    const { ref } = await tempRef();
    await saveProfile(ref, app, memoryKeyring());
    await expect(loadProfile(ref, memoryKeyring('D-Bus is gone'))).rejects.toThrow(`the secrets of profile work (${ref.path}) are in the test keyring, which cannot be reached: D-Bus is gone`);
  });

  it('should keep a user session in the keyring and remove it, keeping server, tenant and user', async () => {
    const { ref } = await tempRef();
    const keyring = memoryKeyring();
    await saveProfile(ref, { server: 'http://s', tenant: 't', user: 'alice', session: { cookie: 'k', csrfToken: 'c' } }, keyring);
    expect(await removeSecrets(ref, keyring)).toEqual({ removed: 'keyring' });
    expect(keyring.entries.size).toBe(0);
    expect(JSON.parse(await readFile(ref.path, 'utf8'))).toEqual({ server: 'http://s', tenant: 't', user: 'alice' });
    expect(await loadProfile(ref, keyring)).toEqual({ server: 'http://s', tenant: 't', user: 'alice', secretStore: 'none' });
  });

  it('should drop an older keyring entry when the secrets now go to the file', async () => {
    const { ref } = await tempRef();
    const keyring = memoryKeyring();
    keyring.entries.set(keyringAccount(ref), JSON.stringify({ clientSecret: 'old' }));
    await saveProfile(ref, { server: 'http://s', tenant: 't' }, keyring);
    expect(keyring.entries.size).toBe(0);
  });
});

describe('named profiles', () => {
  it('should list default (profile.json) first, then the others by name, and follow config.json', async () => {
    const { env } = await tempRef();
    for (const name of ['zeta', 'default', 'alpha']) await saveProfile(await resolveProfileRef(name, env), app);
    expect(await listProfileNames(env)).toEqual(['default', 'alpha', 'zeta']);
    expect((await resolveProfileRef(undefined, env)).name).toBe('default');
    await setCurrentProfile('zeta', env);
    expect(await resolveProfileRef(undefined, env)).toEqual({ name: 'zeta', path: join(dir!, 'cordon', 'profiles', 'zeta.json') });
    expect((await stat(join(dir!, 'cordon', 'config.json'))).mode & 0o777).toBe(0o600);
  });
});
