/**
 * The token side of the API, shaped like Entra so MDE clients only change their token URL
 * (mde-api.md §1.2, client-wire-facts 6): client-credentials tokens on the v2 and v1 endpoints,
 * OIDC discovery and the JWKS. Errors here are OAuth2's (RFC 6749 §5.2) in Entra's shape, not the
 * MDE envelope: this plugin stays encapsulated and sets its own error handler and form parser.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppRecord, Clock, IdGenerator, IdentityStore } from '@cordon/core';
import { createSigningKeys, TOKEN_ALG, type SigningKeys } from '../auth/signing-keys.js';
import { issueAppToken } from '../auth/token-issuer.js';
import { verifySecret } from '../auth/secret-hash.js';
import { DEFAULT_AUDIENCE, localIssuer, TOKEN_LIFETIME_SECONDS } from '../auth/token-claims.js';
import { OAuthError, oauthErrorBody, oauthErrors } from '../auth/oauth-error.js';
import { createFailureThrottle, pairKey } from '../auth/failure-throttle.js';

export interface OAuthRoutesOptions {
  identity: IdentityStore;
  clock: Clock;
  /** `aud` of issued tokens; default MDE's. */
  audience?: string;
  /** Tokens are issued by `${issuerBase}/${tid}/`. */
  issuerBase: string;
  /** Base of the token and JWKS URLs in discovery documents. */
  publicUrl: string;
  /** Share with the auth plugin; by default built from `identity`. */
  keys?: SigningKeys;
  /** For `uti`; default random GUIDs. */
  ids?: IdGenerator;
}

/**
 * Client-secret guessing: each guess at a real client id costs a scrypt, so failed attempts are
 * counted per (client id, address) and per address across client ids, and refused before the lookup.
 */
export const TOKEN_FAILURE_LIMITS = { perClientAndAddress: 20, perAddress: 100, windowMs: 60_000 } as const;

/** Form bodies of token requests are a few hundred bytes; refuse anything far larger early. */
const FORM_LIMIT_BYTES = 16 * 1024;
type Form = Record<string, string>;
type TenantParams = { Params: { tenantId: string } };

export const oauthRoutes: FastifyPluginAsync<OAuthRoutesOptions> = async (app, options) => {
  const keys = options.keys ?? createSigningKeys(options.identity, options.clock);
  const ids = options.ids ?? { uuid: () => randomUUID() };
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const { perClientAndAddress, perAddress, windowMs } = TOKEN_FAILURE_LIMITS;
  const clientFailures = createFailureThrottle(options.clock, { maxFailures: perClientAndAddress, windowMs });
  const addressFailures = createFailureThrottle(options.clock, { maxFailures: perAddress, windowMs });

  // Hand-written rather than @fastify/formbody: URLSearchParams is the WHATWG form decoder already,
  // and a parser registered here applies to these routes only (the MDE API accepts JSON alone).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });

  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    let err: OAuthError;
    if (error instanceof OAuthError) err = error;
    else if (typeof status === 'number' && status >= 400 && status < 500) err = oauthErrors.badRequest(`The request could not be read: ${(error as Error).message}`);
    else {
      request.log.error({ err: error }, 'token endpoint failed');
      err = oauthErrors.serverError();
    }
    return sendOAuthError(request, reply, err, options.clock);
  });

  async function token(request: FastifyRequest<TenantParams>, reply: FastifyReply, version: 1 | 2) {
    const { tenantId } = request.params;
    const form = await formOf(request);
    if (!(await options.identity.getTenant(tenantId))) throw oauthErrors.unknownTenant(tenantId);
    const grant = form.grant_type;
    if (!grant) throw oauthErrors.missingParameter('grant_type');
    if (grant !== 'client_credentials') throw oauthErrors.unsupportedGrant(grant);
    if (version === 2) {
      if (!form.scope) throw oauthErrors.missingParameter('scope');
      // Any resource is accepted (client-wire-facts 6); the client-credentials form is `<resource>/.default`.
      if (!form.scope.trim().split(/\s+/).every((s) => s.endsWith('/.default'))) throw oauthErrors.invalidScope(form.scope);
    }
    const client = await authenticateClient(form, request.headers.authorization, tenantId, request.ip);
    const issued = await issueAppToken(client, { keys, clock: options.clock, ids, audience, issuerBase: options.issuerBase });
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const expiresIn = TOKEN_LIFETIME_SECONDS - 1; // Entra answers 3599 for a one-hour token
    if (version === 2) return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: issued.accessToken };
    return {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      expires_on: String(issued.expiresAt),
      not_before: String(issued.issuedAt),
      resource: form.resource || audience,
      access_token: issued.accessToken,
    };
  }

  async function authenticateClient(form: Form, authorization: string | undefined, tenantId: string, address: string): Promise<AppRecord> {
    const basic = parseBasic(authorization); // client_secret_basic (RFC 6749 §2.3.1) as well as _post
    const clientId = form.client_id || basic?.clientId;
    const secret = form.client_secret || basic?.secret;
    if (!clientId) throw oauthErrors.missingParameter('client_id');
    const pair = pairKey(address, clientId);
    const wait = Math.max(clientFailures.blockedFor(pair), addressFailures.blockedFor(address));
    if (wait > 0) throw oauthErrors.tooManyFailures(Math.ceil(wait / 1000));
    const failed = (err: OAuthError) => {
      clientFailures.failed(pair);
      addressFailures.failed(address);
      return err;
    };
    const client = await options.identity.getApp(clientId);
    if (!client || client.tenantId !== tenantId) throw failed(oauthErrors.unknownClient(clientId, tenantId));
    if (!secret) throw oauthErrors.missingSecret();
    if (!(await verifySecret(secret, client.secretHash))) throw failed(oauthErrors.badSecret(clientId));
    // Checked after the secret, so only the secret's holder learns the app is disabled.
    if (client.disabled) throw oauthErrors.disabledClient(clientId, client.name);
    return client;
  }

  app.post<TenantParams>('/:tenantId/oauth2/v2.0/token', (request, reply) => token(request, reply, 2));
  app.post<TenantParams>('/:tenantId/oauth2/token', (request, reply) => token(request, reply, 1));
  // One real client sends the v1 request as GET with a form body (client-wire-facts 6).
  app.get<TenantParams>('/:tenantId/oauth2/token', (request, reply) => token(request, reply, 1));

  const discovery = (tenant: string, version: 1 | 2) => ({
    issuer: localIssuer(options.issuerBase, tenant),
    token_endpoint: `${publicUrl}/${tenant}/oauth2/${version === 2 ? 'v2.0/' : ''}token`,
    jwks_uri: version === 2 ? `${publicUrl}/${tenant}/discovery/v2.0/keys` : `${publicUrl}/discovery/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    grant_types_supported: ['client_credentials'],
    response_types_supported: ['token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: [TOKEN_ALG],
    claims_supported: ['aud', 'iss', 'iat', 'nbf', 'exp', 'tid', 'appid', 'azp', 'oid', 'sub', 'roles', 'scp', 'ver', 'app_displayname', 'idtyp'],
  });
  const knownTenant = async (tenantId: string) => {
    if (!(await options.identity.getTenant(tenantId))) throw oauthErrors.unknownTenant(tenantId);
  };

  // The tenant-less document, like Entra's /common one, carries a `{tenantid}` placeholder.
  app.get('/.well-known/openid-configuration', async () => discovery('{tenantid}', 1));
  app.get<TenantParams>('/:tenantId/.well-known/openid-configuration', async (request) => {
    await knownTenant(request.params.tenantId);
    return discovery(request.params.tenantId, 1);
  });
  app.get<TenantParams>('/:tenantId/v2.0/.well-known/openid-configuration', async (request) => {
    await knownTenant(request.params.tenantId);
    return discovery(request.params.tenantId, 2);
  });

  const jwks = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'public, max-age=300');
    return keys.jwks();
  };
  app.get('/discovery/keys', jwks);
  app.get('/discovery/v2.0/keys', jwks);
  app.get('/:tenantId/discovery/keys', jwks);
  app.get('/:tenantId/discovery/v2.0/keys', jwks);
};

function parseForm(body: string): Form {
  const form: Form = {};
  for (const [k, v] of new URLSearchParams(body)) form[k] ??= v; // first value wins on repeats
  return form;
}

/** The parsed form; for GET (Fastify never parses GET bodies) the raw body is read here, plus the query. */
async function formOf(request: FastifyRequest): Promise<Form> {
  if (request.method !== 'GET') {
    const body = request.body;
    // A JSON body is not a form: its fields are ignored, so Entra's "missing parameter" follows.
    return body && typeof body === 'object' && !Array.isArray(body) && isForm(request) ? (body as Form) : {};
  }
  const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { ...query, ...parseForm(await readRawBody(request)) };
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

async function readRawBody(request: FastifyRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) throw oauthErrors.badRequest('The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBasic(authorization: string | undefined): { clientId: string; secret: string } | undefined {
  const m = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  const unform = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
  try {
    return { clientId: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function sendOAuthError(request: FastifyRequest, reply: FastifyReply, err: OAuthError, clock: Clock): FastifyReply {
  const body = oauthErrorBody(err, { traceId: randomUUID(), correlationId: request.id, now: clock.now() });
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (err.status === 401) reply.header('www-authenticate', 'Basic realm="cordon"');
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.code(err.status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
