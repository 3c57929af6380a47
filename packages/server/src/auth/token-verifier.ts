/**
 * Verifies bearer tokens: our own (signed with the local keys) and, optionally, tokens of trusted
 * external OIDC issuers (e.g. Entra, keys fetched from their JWKS). Turns a valid token into a Caller.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AppRecord, Clock, IdentityStore, TenantRecord } from '@cordon/core';
import type { Caller } from '../caller.js';
import { TOKEN_ALG, type SigningKeys } from './signing-keys.js';
import { acceptedAudiences, localIssuer } from './token-claims.js';

export interface TrustedIssuer {
  /** Exact `iss`; may contain `{tenantid}`, replaced by the token's `tid` (multi-tenant Entra). */
  issuer: string;
  audience: string;
  /** Defaults to the `jwks_uri` of `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
}

/**
 * The people behind the delegated tokens we issue (the users table): a person who was disabled or
 * deleted is refused even while their token lasts.
 */
export interface PersonLookup {
  getUser(id: string): Promise<{ tenantId: string; disabled: boolean } | undefined>;
}

export interface TokenVerifierOptions {
  identity: IdentityStore;
  people: PersonLookup;
  clock: Clock;
  keys: SigningKeys;
  audience: string;
  issuerBase: string;
  trustedIssuers?: readonly TrustedIssuer[];
  /** How long tenant, app and person lookups are cached (ms); default 5 s (SECURITY.md promises it). */
  lookupCacheMs?: number;
  /** For tests: how a remote JWKS is reached (default jose createRemoteJWKSet). */
  remoteKeySet?: (url: URL) => JWTVerifyGetKey;
}

/** Why a token was refused; logged, never sent (the client sees a plain 401). */
export class TokenRejected extends Error {
  override name = 'TokenRejected';
}

export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
}

/**
 * Tokens expire on other hosts' clocks too: one minute of skew allowed on exp/nbf/iat. Enough for
 * hosts kept by NTP; more would let every token outlive its `exp` by that much (SECURITY.md).
 */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** Distinct tokens whose verification is remembered (oldest forgotten first). */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** The same exp/nbf test jwtVerify applied, with the same tolerance, for a remembered token. */
function stillValid(payload: JWTPayload, nowMs: number): boolean {
  const now = nowMs / 1000;
  if (typeof payload.exp === 'number' && now > payload.exp + CLOCK_TOLERANCE_SECONDS) return false;
  if (typeof payload.nbf === 'number' && now < payload.nbf - CLOCK_TOLERANCE_SECONDS) return false;
  return true;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const cacheMs = options.lookupCacheMs ?? 5_000;
  const tenants = ttlCache<TenantRecord | undefined>(options.clock, cacheMs, (id) => options.identity.getTenant(id));
  const apps = ttlCache<AppRecord | undefined>(options.clock, cacheMs, (id) => options.identity.getApp(id));
  const people = ttlCache(options.clock, cacheMs, (id) => options.people.getUser(id));
  const remote = remoteKeySets(options.remoteKeySet ?? ((url) => createRemoteJWKSet(url)));
  const localAudiences = acceptedAudiences(options.audience);

  // Verified signatures by token text, until the token expires: a client sends the same token for
  // an hour, and an RS256 verify per request was ~4% of a request's CPU. The tenant and app checks
  // below still run on every request (their own 5 s cache), so disabling an app or a person still bites.
  const verifiedTokens = new Map<string, { payload: JWTPayload; tid: string; isLocal: boolean }>();

  async function verify(token: string): Promise<Caller> {
    const hit = verifiedTokens.get(token);
    if (hit && stillValid(hit.payload, options.clock.now())) return callerFor(hit.payload, hit.tid, hit.isLocal);
    if (hit) verifiedTokens.delete(token);
    const unverified = peek(token);
    const tid = unverified.tid;
    if (typeof tid !== 'string' || !/^[A-Za-z0-9._-]{1,128}$/.test(tid)) throw new TokenRejected('token has no usable tid');
    const iss = unverified.iss;
    const isLocal = iss === localIssuer(options.issuerBase, tid);
    const trusted = isLocal ? undefined : options.trustedIssuers?.find((t) => resolveIssuer(t.issuer, tid) === iss);
    if (!isLocal && !trusted) throw new TokenRejected(`issuer ${String(iss)} is not trusted`);

    const getKey = trusted
      ? await remote(trusted, tid).catch((err: unknown) => {
          throw new TokenRejected(`cannot reach the keys of ${trusted.issuer}`, { cause: err });
        })
      : options.keys.getKey;
    const payload = await jwtVerify(token, getKey, {
      algorithms: [TOKEN_ALG],
      issuer: iss as string,
      audience: trusted ? acceptedAudiences(trusted.audience) : localAudiences,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(options.clock.now()),
      requiredClaims: ['exp', 'tid'],
    }).then(
      (r) => r.payload,
      (err: unknown) => {
        throw new TokenRejected(err instanceof joseErrors.JOSEError ? `${err.code}: ${err.message}` : 'verification failed', { cause: err });
      },
    );

    if (verifiedTokens.size >= VERIFIED_TOKEN_CACHE_SIZE) verifiedTokens.delete(verifiedTokens.keys().next().value!);
    verifiedTokens.set(token, { payload, tid, isLocal });
    return callerFor(payload, tid, isLocal);
  }

  async function callerFor(payload: JWTPayload, tid: string, isLocal: boolean): Promise<Caller> {
    if (!(await tenants.get(tid))) throw new TokenRejected(`unknown tenant ${tid}`);
    return isLocal ? localCaller(payload, tid) : externalCaller(payload, tid);
  }

  async function localCaller(payload: JWTPayload, tid: string): Promise<Caller> {
    const appId = str(payload.appid) ?? str(payload.azp);
    const app = appId ? await apps.get(appId) : undefined;
    if (app && (app.disabled || app.tenantId !== tid)) throw new TokenRejected(`application ${appId} is disabled or in another tenant`);
    const delegated = delegatedCaller(payload, tid);
    if (delegated) {
      const person = await people.get(delegated.principalId);
      if (!person || person.disabled || person.tenantId !== tid) throw new TokenRejected(`person ${delegated.principalId} is unknown, disabled or in another tenant`);
      return delegated;
    }
    if (!app) throw new TokenRejected(`unknown application ${String(appId)}`);
    // Roles shrink at once (within the cache time) when an app loses a permission; new ones need a new token, as in Entra.
    const granted = strings(payload.roles).filter((r) => app.roles.includes(r));
    return { tenantId: tid, kind: 'app', principalId: app.clientId, name: app.name, permissions: granted };
  }

  return { verify };
}

function externalCaller(payload: JWTPayload, tid: string): Caller {
  const delegated = delegatedCaller(payload, tid);
  if (delegated) return delegated;
  const principalId = str(payload.appid) ?? str(payload.azp) ?? str(payload.sub);
  if (!principalId) throw new TokenRejected('token names no application');
  return { tenantId: tid, kind: 'app', principalId, name: str(payload.app_displayname) ?? principalId, permissions: strings(payload.roles) };
}

/** Delegated (user) tokens carry `scp`, space-separated (mde-api.md §1.2). */
function delegatedCaller(payload: JWTPayload, tid: string): Caller | undefined {
  const scp = str(payload.scp);
  if (scp === undefined) return undefined;
  const principalId = str(payload.oid) ?? str(payload.sub);
  if (!principalId) throw new TokenRejected('delegated token names no user');
  const name = str(payload.name) ?? str(payload.upn) ?? str(payload.preferred_username) ?? str(payload.unique_name) ?? principalId;
  return { tenantId: tid, kind: 'delegated', principalId, name, permissions: scp.split(' ').filter(Boolean) };
}

function peek(token: string): JWTPayload {
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== TOKEN_ALG) throw new TokenRejected(`alg ${String(header.alg)} is not accepted`);
    return decodeJwt(token);
  } catch (err) {
    if (err instanceof TokenRejected) throw err;
    throw new TokenRejected('malformed token', { cause: err });
  }
}

function resolveIssuer(template: string, tid: string): string {
  return template.replaceAll('{tenantid}', tid);
}

function remoteKeySets(make: (url: URL) => JWTVerifyGetKey): (t: TrustedIssuer, tid: string) => Promise<JWTVerifyGetKey> {
  const sets = new Map<string, Promise<JWTVerifyGetKey>>();
  return (t, tid) => {
    const issuer = resolveIssuer(t.issuer, tid);
    const key = t.jwksUri ? resolveIssuer(t.jwksUri, tid) : issuer;
    let set = sets.get(key);
    if (!set) {
      set = (async () => make(new URL(t.jwksUri ? key : await discoverJwksUri(issuer))))();
      set.catch(() => sets.delete(key)); // a failed discovery is retried on the next token
      sets.set(key, set);
    }
    return set;
  };
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new TokenRejected(`OIDC discovery for ${issuer} answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new TokenRejected(`OIDC discovery for ${issuer} has no jwks_uri`);
  return doc.jwks_uri;
}

function ttlCache<V>(clock: Clock, ttlMs: number, load: (key: string) => Promise<V>): { get(key: string): Promise<V> } {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return {
    get(key) {
      const now = clock.now();
      const hit = entries.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      if (entries.size > 10_000) entries.clear(); // bounded: ids come from tokens we already verified
      const value = load(key);
      value.catch(() => entries.delete(key));
      entries.set(key, { at: now, value });
      return value;
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
