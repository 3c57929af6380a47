/**
 * OIDC sign-in for people: `GET /ui/oidc/login` sends the browser to the identity
 * provider (state, nonce and PKCE challenge; the secrets sealed in a short-lived cookie),
 * `GET /ui/oidc/callback` exchanges the code, verifies the ID token (people/oidc.ts), maps the
 * person's IdP roles to Cordon roles and starts the same session as a password sign-in.
 * `GET /ui/config` tells the SPA whether to show "Sign in with <issuer host>".
 *
 * Refusals are a small HTML page for a browser (the callback is a navigation, not a fetch) and the
 * usual JSON error otherwise. Neither sets a session cookie.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ERROR_CODES, type ErrorCode } from '@cordon/protocol';
import { DomainError, type Clock, type IdentityStore, type IdGenerator } from '@cordon/core';
import type { UserStore } from '@cordon/store';
import type { OidcConfig } from '../config.js';
import type { SigningKeys } from '../auth/signing-keys.js';
import { createOidcClient, OidcError, type OidcClient } from '../people/oidc.js';
import { flowCookie, OIDC_FLOW_COOKIE, OIDC_FLOW_TTL_SECONDS, openFlow, sealFlow } from '../people/oidc-flow.js';
import { OidcUserRefused, upsertOidcUser } from '../people/oidc-users.js';
import { createSessionManager, readCookie, sessionCookie } from '../people/index.js';

export interface UiOidcOptions {
  /** Undefined: OIDC is off; `/ui/config` says so and the flow routes answer 404. */
  oidc: OidcConfig | undefined;
  publicUrl: string;
  users: UserStore;
  /** Where the OIDC tenant is looked up; required when `oidc` is set. */
  identity?: Pick<IdentityStore, 'listTenants' | 'getTenant'>;
  clock: Clock;
  ids: IdGenerator;
  keys: SigningKeys;
  sessionTtlMs?: number;
  /** For tests: how the IdP is reached (default global fetch). */
  fetch?: typeof fetch;
}

const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 })),
});

export const uiOidcRoutes: FastifyPluginAsync<UiOidcOptions> = async (app, options) => {
  const { oidc, clock, keys } = options;
  const client: OidcClient | undefined = oidc && createOidcClient({ config: oidc, redirectUri: `${options.publicUrl}/ui/oidc/callback`, clock, fetch: options.fetch });
  const sessions = createSessionManager({ users: options.users, clock, ttlMs: options.sessionTtlMs });
  const secure = (request: FastifyRequest) => request.protocol === 'https';

  app.get('/ui/config', async () => ({
    oidc: client ? { issuerHost: client.issuerHost, loginUrl: '/ui/oidc/login' } : null,
  }));

  if (!client || !oidc) return;

  app.get('/ui/oidc/login', async (request, reply) => {
    let started: Awaited<ReturnType<OidcClient['begin']>>;
    try {
      started = await client.begin();
    } catch (err) {
      request.log.warn({ err }, 'OIDC discovery failed');
      return refuse(request, reply, 'ServiceUnavailable', `The identity provider ${client.issuerHost} cannot be reached; try again later.`);
    }
    reply.header('set-cookie', flowCookie(await sealFlow(started.flow, { keys, clock }), { secure: secure(request), maxAgeSeconds: OIDC_FLOW_TTL_SECONDS }));
    reply.header('cache-control', 'no-store');
    return reply.redirect(started.url, 302);
  });

  app.get<{ Querystring: Static<typeof CallbackQuery> }>('/ui/oidc/callback', { schema: { querystring: CallbackQuery } }, async (request, reply) => {
    const q = request.query;
    // The flow cookie is single-use: cleared on every answer, success or not.
    const cleared = flowCookie('', { secure: secure(request), maxAgeSeconds: 0 });
    reply.header('set-cookie', cleared);
    reply.header('cache-control', 'no-store');
    if (q.error) {
      request.log.info({ error: q.error, description: q.error_description }, 'OIDC sign-in refused by the identity provider');
      return refuse(request, reply, 'Unauthorized', `${client.issuerHost} did not sign you in (${q.error}${q.error_description ? `: ${q.error_description}` : ''}).`);
    }
    const flow = await openFlow(readCookie(request.headers.cookie, OIDC_FLOW_COOKIE), { keys, clock });
    if (!flow || !q.state || q.state !== flow.state || !q.code) {
      // Also a login-CSRF guard: a callback this browser did not start is never accepted.
      return refuse(request, reply, 'BadRequest', 'This sign-in link has expired or was started in another browser. Start the sign-in again.');
    }
    // RFC 9207: when the IdP names itself, it must be ours (mix-up defense).
    if (q.iss !== undefined && q.iss !== oidc.issuer) return refuse(request, reply, 'BadRequest', 'The sign-in answer came from another identity provider.');

    let identity;
    try {
      identity = await client.complete(q.code, flow);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      request.log.warn({ err: err.message, reason: err.reason }, 'OIDC sign-in failed');
      if (err.reason === 'provider') return refuse(request, reply, 'ServiceUnavailable', `The identity provider ${client.issuerHost} did not answer properly; try again later.`);
      return refuse(request, reply, 'Unauthorized', `${client.issuerHost} sign-in could not be verified. Start the sign-in again.`);
    }
    if (identity.roles.length === 0) {
      request.log.info({ subject: identity.subject, idpRoles: identity.idpRoles, claim: oidc.rolesClaim }, 'OIDC person has no mapped role');
      return refuse(request, reply, 'Forbidden', `${identity.displayName} has no Cordon role: none of the values of the '${oidc.rolesClaim}' claim is mapped (CORDON_OIDC_ROLE_MAP). Ask an administrator for access.`);
    }
    const tenantId = await oidcTenant(options);
    let user;
    try {
      user = await upsertOidcUser(options.users, identity, tenantId, options);
    } catch (err) {
      if (!(err instanceof OidcUserRefused)) throw err;
      request.log.info({ subject: identity.subject, reason: err.message }, 'OIDC person refused');
      return refuse(request, reply, 'Forbidden', `Sign-in refused: ${err.message}.`);
    }
    const { cookieValue } = await sessions.create(user);
    request.log.info({ userId: user.id, name: user.displayName, roles: user.roles }, 'OIDC sign-in');
    reply.header('set-cookie', [cleared, sessionCookie(cookieValue, { secure: secure(request), maxAgeSeconds: sessions.ttlMs / 1000 })]);
    // 303 to the SPA, which then reads /ui/me with the new cookie (its own same-origin fetch).
    return reply.redirect('/', 303);
  });
};

/** CORDON_OIDC_TENANT, or the only tenant there is; anything else is a configuration mistake. */
async function oidcTenant(options: UiOidcOptions): Promise<string> {
  const configured = options.oidc?.tenantId;
  if (!options.identity) throw new Error('uiOidcRoutes needs `identity` when OIDC is configured');
  if (configured) {
    if (!(await options.identity.getTenant(configured))) throw new DomainError('InternalServerError', `CORDON_OIDC_TENANT '${configured}' is not a tenant`);
    return configured;
  }
  const tenants = await options.identity.listTenants();
  if (tenants.length !== 1) throw new DomainError('InternalServerError', `set CORDON_OIDC_TENANT: there are ${tenants.length} tenants`);
  return tenants[0]!.id;
}

function refuse(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  if (!(request.headers.accept ?? '').includes('text/html')) throw new DomainError(code, message);
  const status = ERROR_CODES[code].status;
  return reply.code(status).type('text/html; charset=utf-8').send(refusalPage(message));
}

function refusalPage(message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Cordon sign-in</title></head>\n<body><main><h1>Sign-in failed</h1><p role="alert">${text}</p><p><a href="/">Back to Cordon</a></p></main></body></html>\n`;
}
