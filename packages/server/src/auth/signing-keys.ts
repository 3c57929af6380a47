/**
 * The server's token signing keys: an RS256 key generated on first start and persisted through
 * IdentityStore.ensureSigningKey (first writer wins, so every process on one database signs with
 * the same key). Verification accepts every stored 'jwt' key, which leaves room for rotation.
 */
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTVerifyGetKey } from 'jose';
import { toMdeTimestamp } from '@cordon/protocol';
import type { Clock, IdentityStore, SigningKeyRecord } from '@cordon/core';

export const TOKEN_ALG = 'RS256';

export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export interface SigningKeys {
  /** The key in force for signing; generated and stored on first use. */
  current(): Promise<ActiveSigningKey>;
  /** Public parts of every token key, as a JWKS document. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** A jose key resolver over the stored keys; reloads (at most every few seconds) on an unknown kid. */
  getKey: JWTVerifyGetKey;
}

/** How long an unknown `kid` keeps us from re-reading the store (a garbage kid must not cost a query each). */
const RELOAD_MIN_INTERVAL_MS = 5_000;

export function createSigningKeys(identity: IdentityStore, clock: Clock): SigningKeys {
  let active: Promise<ActiveSigningKey> | undefined;
  let loaded: { at: number; records: SigningKeyRecord[]; keySet: JWTVerifyGetKey } | undefined;

  async function load(): Promise<NonNullable<typeof loaded>> {
    let records = await identity.listSigningKeys('jwt');
    if (records.length === 0) records = [await identity.ensureSigningKey(await newKeyRecord(clock))];
    loaded = { at: clock.now(), records, keySet: createLocalJWKSet({ keys: records.map(publicJwkOf) }) };
    return loaded;
  }

  async function current(): Promise<ActiveSigningKey> {
    active ??= (async () => {
      const { records } = loaded ?? (await load());
      // The newest stored key signs; older ones stay valid for verification until removed.
      const record = records.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
      return { kid: record.kid, privateKey: (await importJWK(record.privateJwk as JWK, record.alg)) as CryptoKey };
    })().catch((err: unknown) => {
      active = undefined;
      throw err;
    });
    return active;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    let state = loaded ?? (await load());
    const known = state.records.some((r) => r.kid === header.kid);
    if (!known && clock.now() - state.at >= RELOAD_MIN_INTERVAL_MS) state = await load();
    return state.keySet(header, token);
  };

  return {
    current,
    async jwks() {
      const state = loaded && clock.now() - loaded.at < RELOAD_MIN_INTERVAL_MS ? loaded : await load();
      return { keys: state.records.map(publicJwkOf) };
    },
    getKey,
  };
}

async function newKeyRecord(clock: Clock): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALG, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    use: 'jwt',
    alg: TOKEN_ALG,
    publicJwk: { ...publicJwk, kid, use: 'sig', alg: TOKEN_ALG },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALG },
    createdAt: toMdeTimestamp(clock.now()),
  };
}

/** Only the public members, whatever the store holds: a JWKS must never carry d/p/q. */
function publicJwkOf(record: SigningKeyRecord): JWK {
  const { kty, n, e } = record.publicJwk as JWK;
  return { kty, n, e, kid: record.kid, use: 'sig', alg: record.alg };
}
