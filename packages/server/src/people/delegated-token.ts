/**
 * Short-lived delegated (user) access tokens for the SPA, signed with the server's token key, shaped
 * like Entra v1 user tokens: `scp` space-separated, `name`/`upn`, `oid` (mde-api.md §1.2). The token
 * verifier turns them into a `delegated` Caller whose `name` becomes the `requestor` of actions, so
 * every /api route and permission check works unchanged for people.
 */
import { SignJWT } from 'jose';
import type { Clock, IdGenerator } from '@cordon/core';
import type { UserRecord } from '@cordon/store';
import { TOKEN_ALG, type SigningKeys } from '../auth/signing-keys.js';
import { localIssuer } from '../auth/token-claims.js';
import { scopesForRoles } from '../roles.js';

/**
 * Ten minutes: the SPA fetches a new one through its session cookie when this runs out, and a
 * person who is disabled or loses a role keeps at most this long on an already-issued token.
 */
export const UI_TOKEN_LIFETIME_SECONDS = 600;

export interface DelegatedTokenOptions {
  keys: SigningKeys;
  clock: Clock;
  ids: IdGenerator;
  audience: string;
  issuerBase: string;
}

export async function issueDelegatedToken(user: UserRecord, options: DelegatedTokenOptions): Promise<{ accessToken: string; expiresAt: number; scopes: string[] }> {
  const { kid, privateKey } = await options.keys.current();
  const iat = Math.floor(options.clock.now() / 1000);
  const exp = iat + UI_TOKEN_LIFETIME_SECONDS;
  const iss = localIssuer(options.issuerBase, user.tenantId);
  const scopes = scopesForRoles(user.roles);
  const accessToken = await new SignJWT({
    aud: options.audience,
    iss,
    iat,
    nbf: iat,
    exp,
    idp: iss,
    idtyp: 'user',
    name: user.displayName,
    oid: user.id,
    // An empty `scp` would read as "no scp" (an app token) to a lenient parser: a person without
    // roles gets a placeholder scope that grants nothing.
    scp: scopes.length > 0 ? scopes.join(' ') : 'None',
    sub: user.id,
    tid: user.tenantId,
    unique_name: user.name,
    upn: user.name,
    uti: options.ids.uuid(),
    ver: '1.0',
  })
    .setProtectedHeader({ typ: 'JWT', alg: TOKEN_ALG, kid })
    .sign(privateKey);
  return { accessToken, expiresAt: exp, scopes };
}
