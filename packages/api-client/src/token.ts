/**
 * Bearer tokens for the client. Client-credentials tokens are fetched from the server's Entra-shaped
 * token endpoint (mde-api.md §1.2), cached in memory, and refreshed a little before they expire.
 * No Node-only APIs here: the web UI uses this module too.
 */
import { CordonApiError, errorFromResponse } from './errors.js';

export interface TokenSource {
  /** A valid bearer token (from cache when it has time left). */
  getToken(): Promise<string>;
  /** Drops a cached token, e.g. after the API answered 401 with it. */
  invalidate(): void;
}

/** The scope MDE clients ask for (mde-api.md §1.2). */
export const DEFAULT_SCOPE = 'https://api.securitycenter.microsoft.com/.default';

export interface ClientCredentials {
  /** Server root, e.g. `https://cordon.example:8443`. */
  serverUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface TokenSourceOptions {
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests inject a fake clock. */
  now?: () => number;
  /** Refresh this long before `expires_in` runs out (default 5 minutes, like MSAL). */
  refreshSkewMs?: number;
}

export interface TokenResponse {
  token_type: string;
  expires_in: number;
  access_token: string;
}

export function tokenUrl(serverUrl: string, tenantId: string): string {
  return `${trimSlash(serverUrl)}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
}

/**
 * @example
 * const tokens = clientCredentialsTokenSource({ serverUrl, tenantId, clientId, clientSecret });
 * const client = new CordonClient({ baseUrl: serverUrl, token: tokens });
 */
export function clientCredentialsTokenSource(credentials: ClientCredentials, options: TokenSourceOptions = {}): TokenSource {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const skew = options.refreshSkewMs ?? 5 * 60_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      scope: credentials.scope ?? DEFAULT_SCOPE,
    });
    const issuedAt = now();
    const response = await send(doFetch, tokenUrl(credentials.serverUrl, credentials.tenantId), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
    if (!response.ok) throw await errorFromResponse(response);
    const reply = (await response.json()) as Partial<TokenResponse>;
    if (typeof reply.access_token !== 'string' || typeof reply.expires_in !== 'number') {
      throw new CordonApiError(response.status, 'InvalidTokenResponse', 'the token endpoint answered without access_token/expires_in');
    }
    // Never wait for less than half the lifetime, so very short tokens are still reused.
    const lifetimeMs = reply.expires_in * 1000;
    cached = { token: reply.access_token, refreshAt: issuedAt + Math.max(lifetimeMs - skew, lifetimeMs / 2) };
    return reply.access_token;
  }

  return {
    async getToken() {
      if (cached && now() < cached.refreshAt) return cached.token;
      // Concurrent callers share one token request.
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** A fixed token (e.g. from a user sign-in elsewhere); it cannot be refreshed. */
export function staticTokenSource(token: string): TokenSource {
  return { getToken: async () => token, invalidate: () => undefined };
}

/** fetch, with network failures turned into CordonApiError (status 0) instead of a TypeError. */
export async function send(doFetch: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await doFetch(url, init);
  } catch (err) {
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new CordonApiError(0, 'NetworkError', `cannot reach ${new URL(url).origin}: ${cause}`);
  }
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
