/**
 * OIDC sign-in for people: the authorization-code flow with PKCE, as a relying party of
 * one configured issuer. ID tokens are verified by jose against the issuer's JWKS (signature, iss,
 * aud/azp, exp/iat with the injected clock, nonce).
 *
 * Why not `openid-client`: jose is already here and does the cryptographic part (JWKS fetch and
 * cache, JWS and claim checks); what remains is discovery, one URL and one form POST. openid-client
 * would add a dependency, check token times against the wall clock instead of our Clock (so tests
 * could not pin them), and refuse plain-http loopback test providers without extra switches.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '@cordon/core';
import type { OidcConfig } from '../config.js';
import type { UserRole } from '../roles.js';

/** The secrets of one sign-in attempt, kept (sealed) in the browser between login and callback. */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A person the issuer vouched for, with the Cordon roles their IdP roles/groups map to. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** `name`, else `preferred_username`, else `email`, else the subject: becomes the `requestor`. */
  displayName: string;
  /** The roles-claim values as the IdP sent them. */
  idpRoles: string[];
  /** Mapped Cordon roles (may be empty: the caller refuses such a person). */
  roles: UserRole[];
}

/** Why a sign-in failed. `provider`: the IdP could not be reached or answered nonsense (a 502 for the person). */
export class OidcError extends Error {
  override name = 'OidcError';
  constructor(
    readonly reason: 'provider' | 'code' | 'id_token',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OidcClientOptions {
  config: OidcConfig;
  /** `${publicUrl}/ui/oidc/callback`, registered at the IdP. */
  redirectUri: string;
  clock: Clock;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
  /** How long discovery is cached (default an hour). */
  discoveryTtlMs?: number;
}

export interface OidcClient {
  /** Host of the issuer, for "Sign in with <host>". */
  readonly issuerHost: string;
  /** Starts a sign-in: the IdP authorization URL and the secrets to keep until the callback. */
  begin(): Promise<{ url: string; flow: OidcFlow }>;
  /** Exchanges the code (with the PKCE verifier) and verifies the ID token. */
  complete(code: string, flow: OidcFlow): Promise<OidcIdentity>;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
}

/** Allowed skew between our clock and the IdP's on exp/iat/nbf. */
const CLOCK_TOLERANCE_SECONDS = 60;
const HTTP_TIMEOUT_MS = 10_000;
/** Only asymmetric algorithms: an HS256 ID token would be keyed with the client secret, which we do not accept. */
const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export function createOidcClient(options: OidcClientOptions): OidcClient {
  const { config, clock } = options;
  const doFetch = options.fetch ?? fetch;
  const ttl = options.discoveryTtlMs ?? 3600_000;
  let cached: { at: number; doc: Discovery; keys: JWTVerifyGetKey } | undefined;
  let inflight: Promise<NonNullable<typeof cached>> | undefined;

  async function discover(): Promise<NonNullable<typeof cached>> {
    if (cached && clock.now() - cached.at < ttl) return cached;
    inflight ??= (async () => {
      const url = `${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const doc = (await getJson(doFetch, url)) as Partial<Discovery>;
      for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
        if (typeof doc[field] !== 'string') throw new OidcError('provider', `discovery at ${url} has no ${field}`);
      }
      // OIDC Discovery §4.3: the document's issuer must be exactly the one we were configured with.
      if (doc.issuer !== config.issuer) throw new OidcError('provider', `discovery issuer '${doc.issuer}' differs from CORDON_OIDC_ISSUER '${config.issuer}'`);
      const full = doc as Discovery;
      cached = { at: clock.now(), doc: full, keys: createRemoteJWKSet(new URL(full.jwks_uri), { timeoutDuration: HTTP_TIMEOUT_MS }) };
      return cached;
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    issuerHost: new URL(config.issuer).host,

    async begin() {
      const { doc } = await discover();
      const flow: OidcFlow = { state: random(), nonce: random(), codeVerifier: random() };
      const url = new URL(doc.authorization_endpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', config.clientId);
      url.searchParams.set('redirect_uri', options.redirectUri);
      url.searchParams.set('scope', 'openid profile email');
      url.searchParams.set('state', flow.state);
      url.searchParams.set('nonce', flow.nonce);
      url.searchParams.set('code_challenge', pkceChallenge(flow.codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      return { url: url.toString(), flow };
    },

    async complete(code, flow) {
      const { doc, keys } = await discover();
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: flow.codeVerifier, client_id: config.clientId });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (config.clientSecret !== undefined) {
        const methods = doc.token_endpoint_auth_methods_supported;
        if (methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
          form.set('client_secret', config.clientSecret);
        } else {
          // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
          const basic = `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`;
          headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
        }
      }
      let res: Response;
      try {
        res = await doFetch(doc.token_endpoint, { method: 'POST', headers, body: form.toString(), signal: AbortSignal.timeout(HTTP_TIMEOUT_MS), redirect: 'error' });
      } catch (err) {
        throw new OidcError('provider', `token endpoint unreachable: ${(err as Error).message}`, { cause: err });
      }
      const body = (await res.json().catch(() => undefined)) as { id_token?: unknown; error?: unknown; error_description?: unknown } | undefined;
      if (!res.ok) {
        // 400 invalid_grant: a used, expired or forged code, or a PKCE mismatch.
        const detail = body && typeof body.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : `HTTP ${res.status}`;
        throw new OidcError(res.status === 400 ? 'code' : 'provider', `the identity provider refused the code (${detail})`);
      }
      if (!body || typeof body.id_token !== 'string') throw new OidcError('provider', 'the token response has no id_token');
      const claims = await verifyIdToken(body.id_token, doc, keys, flow.nonce);
      return identityOf(claims, config);
    },
  };

  async function verifyIdToken(idToken: string, doc: Discovery, keys: JWTVerifyGetKey, nonce: string): Promise<JWTPayload> {
    const advertised = doc.id_token_signing_alg_values_supported?.filter((a) => ASYMMETRIC_ALGS.includes(a));
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: config.issuer,
        audience: config.clientId,
        algorithms: advertised && advertised.length > 0 ? advertised : ['RS256'],
        currentDate: new Date(clock.now()),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) throw new OidcError('id_token', `ID token refused: ${err.message}`, { cause: err });
      throw err;
    }
    // OIDC Core §3.1.3.7: several audiences need azp naming us; the nonce binds the token to this browser's flow.
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== config.clientId) throw new OidcError('id_token', 'ID token refused: azp is not our client');
    if (payload.nonce !== nonce) throw new OidcError('id_token', 'ID token refused: nonce does not match this sign-in');
    return payload;
  }
}

function identityOf(claims: JWTPayload, config: OidcConfig): OidcIdentity {
  const idpRoles = claimValues(claims, config.rolesClaim);
  const roles = new Set<UserRole>();
  for (const value of idpRoles) for (const role of config.roleMap[value] ?? []) roles.add(role);
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const displayName = (str(claims.name) ?? str(claims.preferred_username) ?? str(claims.email) ?? claims.sub!).slice(0, 256);
  return { issuer: config.issuer, subject: claims.sub!, displayName, idpRoles, roles: [...roles] };
}

/** The string values at a dotted claim path (`roles`, `groups`, `realm_access.roles`); a single string counts as one value. */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** 32 random bytes, base64url: state, nonce and the PKCE verifier (43 chars, within RFC 7636's 43-128). */
function random(): string {
  return randomBytes(32).toString('base64url');
}

async function getJson(doFetch: typeof fetch, url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  } catch (err) {
    throw new OidcError('provider', `${url} unreachable: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) throw new OidcError('provider', `${url} answered HTTP ${res.status}`);
  try {
    return await res.json();
  } catch (err) {
    throw new OidcError('provider', `${url} did not answer JSON`, { cause: err });
  }
}
