/**
 * Between `/ui/oidc/login` and `/ui/oidc/callback` the flow's state, nonce and PKCE verifier live in
 * the browser: a short-lived HttpOnly cookie holding a JWT signed with the server's token key. That
 * works across several server processes (all sign with the one stored key) without a table. The
 * values are not secret from the browser that started the flow (the PKCE verifier of a public
 * client lives there anyway); the signature stops anyone from choosing them.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '@cordon/core';
import { TOKEN_ALG, type SigningKeys } from '../auth/signing-keys.js';
import type { OidcFlow } from './oidc.js';

export const OIDC_FLOW_COOKIE = 'cordon_oidc';
/** Ten minutes for the person to finish at the identity provider. */
export const OIDC_FLOW_TTL_SECONDS = 600;
/** A `typ` and audience of its own, so a flow cookie is never taken for an access token or the reverse. */
const FLOW_TYP = 'cordon-oidc-flow+jwt';
const FLOW_AUD = 'cordon:oidc-flow';

export async function sealFlow(flow: OidcFlow, deps: { keys: SigningKeys; clock: Clock }): Promise<string> {
  const { kid, privateKey } = await deps.keys.current();
  const iat = Math.floor(deps.clock.now() / 1000);
  return new SignJWT({ st: flow.state, nn: flow.nonce, cv: flow.codeVerifier })
    .setProtectedHeader({ alg: TOKEN_ALG, kid, typ: FLOW_TYP })
    .setAudience(FLOW_AUD)
    .setIssuedAt(iat)
    .setExpirationTime(iat + OIDC_FLOW_TTL_SECONDS)
    .sign(privateKey);
}

/** The flow when the cookie is ours, unexpired and well-formed; undefined otherwise. */
export async function openFlow(cookie: string | undefined, deps: { keys: SigningKeys; clock: Clock }): Promise<OidcFlow | undefined> {
  if (!cookie) return undefined;
  try {
    const { payload } = await jwtVerify(cookie, deps.keys.getKey, { algorithms: [TOKEN_ALG], typ: FLOW_TYP, audience: FLOW_AUD, currentDate: new Date(deps.clock.now()) });
    const { st, nn, cv } = payload;
    if (typeof st !== 'string' || typeof nn !== 'string' || typeof cv !== 'string') return undefined;
    return { state: st, nonce: nn, codeVerifier: cv };
  } catch {
    return undefined;
  }
}

/**
 * SameSite=Lax, unlike the session cookie: the callback is a top-level GET navigation coming from
 * the identity provider's site, which a Strict cookie would not accompany. Path-scoped to the flow.
 */
export function flowCookie(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  const attrs = [`${OIDC_FLOW_COOKIE}=${value}`, 'Path=/ui/oidc', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) attrs.push('Secure');
  return attrs.join('; ');
}
