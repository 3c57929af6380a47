/**
 * Bearer-token authentication and permission checks for routes that declare `config.operation`
 * (see caller.ts). Missing/invalid/expired token → 401 Unauthorized with `WWW-Authenticate: Bearer`;
 * valid token without the permission → 403 Forbidden in MDE's wording (I-6055, mde-api.md §2.2).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { JWTVerifyGetKey } from 'jose';
import { isAllowed, requiredPermissionsText, type OperationId } from '@cordon/protocol';
import { DomainError, type Clock, type IdentityStore } from '@cordon/core';
import { createSigningKeys, type SigningKeys } from '../auth/signing-keys.js';
import { createTokenVerifier, TokenRejected, type PersonLookup, type TokenVerifier, type TrustedIssuer } from '../auth/token-verifier.js';
import { DEFAULT_AUDIENCE } from '../auth/token-claims.js';
import type { Caller } from '../caller.js';
import { rolesAllowing } from '../roles.js';
import { globalPlugin } from './global-plugin.js';

export interface AuthOptions {
  identity: IdentityStore;
  /** The users table: delegated tokens of disabled or deleted people are refused. */
  people: PersonLookup;
  clock: Clock;
  /** Expected `aud` of local tokens; default MDE's. */
  audience?: string;
  /** Local tokens are issued by `${issuerBase}/${tid}/`. */
  issuerBase: string;
  /** External OIDC issuers whose tokens are accepted too (tenant from `tid`). */
  trustedIssuers?: readonly TrustedIssuer[];
  /** Share the token endpoint's keys; by default built from `identity`. */
  keys?: SigningKeys;
  /** Cache time of tenant/app/person lookups (ms), default 5 s. */
  lookupCacheMs?: number;
  /** For tests: how remote JWKS are fetched. */
  remoteKeySet?: (url: URL) => JWTVerifyGetKey;
}

const UNAUTHORIZED = 'Authorization header is missing, invalid or expired';
/** RFC 6750 §2.1 b64token, after `Bearer`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function forbiddenMessage(operation: OperationId, kind: Caller['kind']): string {
  const who = kind === 'app' ? 'The application' : 'The user';
  const what = kind === 'app' ? 'application' : 'delegated';
  const text = `${who} does not have any of the required ${what} permissions ${requiredPermissionsText(operation, kind)} to access the resource.`;
  if (kind === 'app') return text;
  // A person gets scopes only through roles: name the role to ask for, not just the scope.
  const roles = rolesAllowing(operation);
  return roles.length > 0 ? `${text} People get them with the role ${roles.map((r) => `'${r}'`).join(' or ')}.` : text;
}

export const authPlugin: FastifyPluginAsync<AuthOptions> = globalPlugin('cordon-auth', async (app, options) => {
  const verifier: TokenVerifier = createTokenVerifier({
    identity: options.identity,
    people: options.people,
    clock: options.clock,
    keys: options.keys ?? createSigningKeys(options.identity, options.clock),
    audience: options.audience ?? DEFAULT_AUDIENCE,
    issuerBase: options.issuerBase,
    trustedIssuers: options.trustedIssuers ?? [],
    lookupCacheMs: options.lookupCacheMs,
    remoteKeySet: options.remoteKeySet,
  });

  if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const operation = request.routeOptions.config.operation;
    if (!operation) return; // public route
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw unauthorized(reply, false);
    let caller: Caller;
    try {
      caller = await verifier.verify(match[1]!);
    } catch (err) {
      if (!(err instanceof TokenRejected)) throw err; // store trouble: a 5xx, not the client's fault
      request.log.info({ reason: err.message }, 'bearer token refused');
      throw unauthorized(reply, true);
    }
    if (!isAllowed(operation, caller)) throw new DomainError('Forbidden', forbiddenMessage(operation, caller.kind));
    request.caller = caller;
  });
});

function unauthorized(reply: FastifyReply, tokenPresent: boolean): DomainError {
  // RFC 6750 §3.1: no error attribute when the request carried no token at all.
  reply.header('www-authenticate', tokenPresent ? 'Bearer error="invalid_token"' : 'Bearer');
  return new DomainError('Unauthorized', UNAUTHORIZED);
}
