/** Mints client-credentials access tokens shaped like Entra v1 app tokens (mde-api.md §1.2). */
import { SignJWT } from 'jose';
import type { AppRecord, Clock, IdGenerator } from '@cordon/core';
import { TOKEN_ALG, type SigningKeys } from './signing-keys.js';
import { localIssuer, TOKEN_LIFETIME_SECONDS } from './token-claims.js';

export interface IssueOptions {
  keys: SigningKeys;
  clock: Clock;
  ids: IdGenerator;
  audience: string;
  issuerBase: string;
}

export interface IssuedToken {
  accessToken: string;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
}

export async function issueAppToken(app: AppRecord, options: IssueOptions): Promise<IssuedToken> {
  const { kid, privateKey } = await options.keys.current();
  const iat = Math.floor(options.clock.now() / 1000);
  const exp = iat + TOKEN_LIFETIME_SECONDS;
  const iss = localIssuer(options.issuerBase, app.tenantId);
  const accessToken = await new SignJWT({
    aud: options.audience,
    iss,
    iat,
    nbf: iat,
    exp,
    // Entra v1 app tokens: `appid` (v1) and `azp` (v2) both name the client; `oid`/`sub` name the
    // service principal, which Cordon does not model separately, so they carry the client id too.
    app_displayname: app.name,
    appid: app.clientId,
    appidacr: '1',
    azp: app.clientId,
    idp: iss,
    idtyp: 'app',
    oid: app.clientId,
    roles: app.roles,
    sub: app.clientId,
    tid: app.tenantId,
    uti: options.ids.uuid(),
    ver: '1.0',
  })
    .setProtectedHeader({ typ: 'JWT', alg: TOKEN_ALG, kid })
    .sign(privateKey);
  return { accessToken, issuedAt: iat, expiresAt: exp };
}
