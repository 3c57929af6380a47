/**
 * The web UI's own routes under `/ui`: sign-in/out, who am I, a short-lived delegated
 * token for the /api routes, and a server-sent-events stream of action changes. Authenticated by
 * the session cookie (people/sessions.ts), never by a bearer token. Every state-changing request
 * must carry `x-cordon-csrf` (the session's token; any value for sign-in, which has no session yet):
 * a custom header cannot be sent cross-site without a CORS preflight we never grant, and the cookie
 * is SameSite=Strict on top.
 *
 * `uiPlugin` is the one entry point app.ts registers: these routes plus the static SPA.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { isAllowed } from '@cordon/protocol';
import { DomainError, toWireMachine, type Clock, type IdGenerator } from '@cordon/core';
import { KyselyUserStore, type Store, type UserStore } from '@cordon/store';
import type { ActionBus } from '../events/action-bus.js';
import { streamActions } from '../events/action-stream.js';
import type { MachineChanges } from '../events/machine-changes.js';
import type { SigningKeys } from '../auth/signing-keys.js';
import {
  checkPassword,
  clearedSessionCookie,
  createSessionManager,
  createSignInThrottle,
  csrfMatches,
  issueDelegatedToken,
  readCookie,
  scopesForRoles,
  SESSION_COOKIE,
  sessionCookie,
  type ActiveSession,
  type SessionManager,
} from '../people/index.js';
import { webStaticPlugin } from './web-static.js';
import { uiOidcRoutes, type UiOidcOptions } from './oidc.js';

export interface UiOptions {
  /** The store (`users` are kept in its database) or a UserStore directly (tests). */
  store?: Pick<Store, 'db'>;
  users?: UserStore;
  bus: ActionBus;
  clock: Clock;
  ids: IdGenerator;
  keys: SigningKeys;
  audience: string;
  /** Local tokens are issued by `${issuerBase}/${tid}/` (as in the auth plugin). */
  issuerBase: string;
  sessionTtlMs?: number;
  /** SSE heartbeat comment interval (default 15 s). */
  heartbeatMs?: number;
  /** Directory of the built SPA (default packages/web/dist); false to serve no static files. */
  webRoot?: string | false;
  /** Recorded machine changes, sent on the event stream as `event: machine` (none without). */
  machineChanges?: Pick<MachineChanges, 'subscribe'>;
  /** Optional OIDC sign-in (ui/oidc.ts): the issuer config, our public URL and the tenants. */
  oidc?: Pick<UiOidcOptions, 'oidc' | 'publicUrl' | 'identity' | 'fetch'>;
}

export const CSRF_HEADER = 'x-cordon-csrf';

const SignInBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false });
const EventsQuery = Type.Object({ machineId: Type.Optional(Type.String({ maxLength: 128 })) });

export const uiPlugin: FastifyPluginAsync<UiOptions> = async (app, options) => {
  const users = options.users ?? (options.store ? new KyselyUserStore(options.store.db) : undefined);
  if (!users) throw new Error('uiPlugin needs `store` or `users`');
  await app.register(uiRoutes, { ...options, users });
  await app.register(uiOidcRoutes, { oidc: undefined, publicUrl: '', ...options.oidc, users, clock: options.clock, ids: options.ids, keys: options.keys, sessionTtlMs: options.sessionTtlMs });
  if (options.webRoot !== false) await app.register(webStaticPlugin, { root: options.webRoot });
};

export const uiRoutes: FastifyPluginAsync<UiOptions & { users: UserStore }> = async (app, options) => {
  const { users, clock } = options;
  const sessions = createSessionManager({ users, clock, ttlMs: options.sessionTtlMs });
  const throttle = createSignInThrottle(clock);
  const secure = (request: FastifyRequest) => request.protocol === 'https';

  app.get('/ui/me', async (request) => {
    const active = await requireSession(sessions, request);
    return me(active);
  });

  app.post<{ Body: Static<typeof SignInBody> }>('/ui/session', { schema: { body: SignInBody } }, async (request, reply) => {
    if (!request.headers[CSRF_HEADER]) throw new DomainError('Forbidden', `Missing ${CSRF_HEADER} header`);
    const { name, password } = request.body;
    // Checked before the password, so a blocked guess costs no scrypt.
    const wait = throttle.blockedFor(name, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new DomainError('TooManyRequests', 'Too many failed sign-ins from this address; try again later');
    }
    const user = await checkPassword(users, name, password);
    if (!user) {
      throttle.failed(name, request.ip);
      request.log.info({ name }, 'sign-in refused');
      throw new DomainError('Unauthorized', 'Wrong user name or password');
    }
    throttle.succeeded(name, request.ip);
    const { cookieValue, session } = await sessions.create(user);
    reply.header('set-cookie', sessionCookie(cookieValue, { secure: secure(request), maxAgeSeconds: sessions.ttlMs / 1000 }));
    reply.header('cache-control', 'no-store');
    return me({ session, user });
  });

  app.delete('/ui/session', async (request, reply) => {
    const active = await requireSession(sessions, request);
    requireCsrf(request, active);
    await sessions.destroy(readCookie(request.headers.cookie, SESSION_COOKIE)!);
    reply.header('set-cookie', clearedSessionCookie(secure(request)));
    reply.code(204);
  });

  app.post('/ui/session/token', async (request, reply) => {
    const active = await requireSession(sessions, request);
    requireCsrf(request, active);
    const token = await issueDelegatedToken(active.user, options);
    reply.header('cache-control', 'no-store');
    return { token_type: 'Bearer', access_token: token.accessToken, expires_on: token.expiresAt, scp: token.scopes };
  });

  const streams = new Set<FastifyReply>();
  app.addHook('preClose', async () => {
    // Open SSE streams would keep server.close() waiting forever.
    for (const reply of streams) reply.raw.end();
  });

  app.get<{ Querystring: Static<typeof EventsQuery> }>('/ui/events', { schema: { querystring: EventsQuery } }, async (request, reply) => {
    const active = await requireSession(sessions, request);
    if (!isAllowed('listMachineActions', { kind: 'delegated', permissions: scopesForRoles(active.user.roles) })) {
      throw new DomainError('Forbidden', 'The user may not read machine actions');
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    // At each heartbeat the session is re-checked, so sign-out or expiry ends the stream.
    const stream = await streamActions(request, reply, {
      bus: options.bus,
      tenantId: active.user.tenantId,
      machineId: request.query.machineId,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      streams,
      stillAllowed: async () => (await sessions.resolve(cookie)) !== undefined,
    });
    // The device pages' live health, tags and containment (the bearer stream carries actions only).
    const tenantId = active.user.tenantId;
    const machineId = request.query.machineId;
    const unsubscribeMachines = options.machineChanges?.subscribe((machine) => {
      if (machine.tenantId !== tenantId || (machineId !== undefined && machine.id !== machineId)) return;
      stream.send('machine', toWireMachine(machine));
    });
    if (unsubscribeMachines) stream.onClose(unsubscribeMachines);
  });
};

function me(active: ActiveSession) {
  const { user, session } = active;
  return {
    user: { id: user.id, name: user.name, displayName: user.displayName, roles: user.roles, permissions: scopesForRoles(user.roles) },
    tenantId: user.tenantId,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

async function requireSession(sessions: SessionManager, request: FastifyRequest): Promise<ActiveSession> {
  const active = await sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE));
  if (!active) throw new DomainError('Unauthorized', 'Not signed in, or the session expired');
  return active;
}

function requireCsrf(request: FastifyRequest, active: ActiveSession): void {
  if (!csrfMatches(request.headers[CSRF_HEADER], active.session.csrfToken)) throw new DomainError('Forbidden', `Missing or wrong ${CSRF_HEADER} header`);
}
