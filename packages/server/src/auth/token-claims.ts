/** Where our tokens come from and whom they are for: shared by the issuer and the verifier. */

/** MDE's audience (mde-api.md §1.2, observed `aud` of app tokens). */
export const DEFAULT_AUDIENCE = 'https://api.securitycenter.microsoft.com';
/**
 * WindowsDefenderATP's first-party app id (mde-api.md §1.2, UNCONFIRMED): Entra v2-format tokens
 * name the resource by app id instead of its URI, so a token minted that way is accepted too.
 */
export const MDE_RESOURCE_APP_ID = 'fc780465-2017-40d4-a0c5-307022471b92';

/** Token lifetime: one hour, as Entra's (mde-api.md §1.2). */
export const TOKEN_LIFETIME_SECONDS = 3600;

/** `iss` of our tokens, shaped like Entra v1's `https://sts.windows.net/{tid}/`. */
export function localIssuer(issuerBase: string, tenantId: string): string {
  return `${issuerBase.replace(/\/+$/, '')}/${tenantId}/`;
}

/** The audiences a token may carry: the configured one, with or without a trailing slash, and its v2 form. */
export function acceptedAudiences(audience: string): string[] {
  const bare = audience.replace(/\/+$/, '');
  const list = [bare, `${bare}/`];
  if (bare === DEFAULT_AUDIENCE) list.push(MDE_RESOURCE_APP_ID);
  return list;
}
